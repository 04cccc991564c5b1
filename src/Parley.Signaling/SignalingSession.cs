using System.Security.Cryptography;
using System.Text;
using Parley.Signaling.Rpc;

namespace Parley.Signaling;

/// <summary>
/// A session (OpenVidu's Session): its properties and its connections in creation order. Every change happens under
/// one lock per session, and the notifications a change causes are queued to the participants under that same lock,
/// so every participant sees the session's changes in one order.
/// </summary>
public sealed class SignalingSession
{
    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, SessionConnection> _connections = new(StringComparer.Ordinal);

    internal SignalingSession(string sessionId, long createdAt, SessionProperties properties)
    {
        SessionId = sessionId;
        CreatedAt = createdAt;
        Properties = properties;
    }

    public string SessionId { get; }

    public long CreatedAt { get; }

    public SessionProperties Properties { get; }

    public bool IsClosed { get; private set; }

    /// <summary>True once a participant has joined; a session that never had one is removed after a while.</summary>
    internal bool EverActive { get; private set; }

    /// <summary>Creates a pending connection whose token points at <paramref name="tokenBaseUrl"/>
    /// (<c>ws://host:port</c>); null when the session has been closed meanwhile.</summary>
    public SessionConnection? CreateConnection(ConnectionProperties properties, string tokenBaseUrl, long now)
    {
        string connectionId = Ids.NewConnectionId();
        string tokenKey = Ids.NewToken();
        string token = $"{tokenBaseUrl}?sessionId={Uri.EscapeDataString(SessionId)}&token={tokenKey}";
        var connection = new SessionConnection(connectionId, token, tokenKey, now, properties);
        lock (_gate)
        {
            if (IsClosed)
            {
                return null;
            }

            _connections.Add(connectionId, connection);
        }

        return connection;
    }

    public SessionConnection? FindConnection(string connectionId)
    {
        lock (_gate)
        {
            return _connections.GetValueOrDefault(connectionId);
        }
    }

    /// <summary>The connections in creation order, pending ones only if asked for.</summary>
    public IReadOnlyList<SessionConnection> GetConnections(bool includePending)
    {
        lock (_gate)
        {
            return [.. _connections.Values.Where(c => includePending || c.IsActive)];
        }
    }

    /// <summary>Applies a PATCH of role and/or record; an active client is told of each change
    /// (<c>connectionPropertyChanged</c>, as OpenVidu Pro does). False when the connection is gone.</summary>
    internal bool UpdateConnection(string connectionId, OpenViduRole? role, bool? record)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out SessionConnection? connection))
            {
                return false;
            }

            if (role is { } newRole && newRole != connection.Role)
            {
                connection.Role = newRole;
                connection.Rpc?.Send(Notifications.ConnectionPropertyChanged("role", OpenViduRoles.Name(newRole)));
            }

            if (record is { } newRecord && newRecord != connection.Record)
            {
                connection.Record = newRecord;
                connection.Rpc?.Send(Notifications.ConnectionPropertyChanged("record", newRecord ? "true" : "false"));
            }

            return true;
        }
    }

    /// <summary>
    /// Activates the pending connection whose token the client presents: the others are told
    /// (<c>participantJoined</c>), then the joiner gets <paramref name="answer"/>'s frame, built from the participants
    /// already there. Throws an <see cref="RpcException"/> for a closed session or a token that is not valid here.
    /// </summary>
    internal SessionConnection Join(string presentedToken, RpcSession rpc, ParticipantDetails details,
        Func<SessionConnection, IReadOnlyList<SessionConnection>, byte[]> answer)
    {
        byte[] presentedKey = Encoding.UTF8.GetBytes(TokenKeyOf(presentedToken));
        lock (_gate)
        {
            if (IsClosed)
            {
                throw new RpcException(RpcErrorCodes.RoomClosed, $"Session {SessionId} is closed");
            }

            SessionConnection? joining = null;
            foreach (SessionConnection c in _connections.Values)
            {
                // Every pending token is compared, in constant time, so timing says nothing about which came close.
                if (!c.IsActive && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(c.TokenKey), presentedKey))
                {
                    joining = c;
                }
            }

            if (joining is null)
            {
                throw new RpcException(RpcErrorCodes.UserUnauthorized, $"Token {presentedToken} is not valid");
            }

            SessionConnection[] others = [.. _connections.Values.Where(c => c.IsActive)];
            joining.ActiveAt = details.Now;
            joining.Ip = details.Ip;
            joining.Platform = details.Platform;
            joining.ClientData = details.ClientData;
            joining.Rpc = rpc;
            rpc.Participant = joining;
            rpc.Session = this;
            EverActive = true;

            byte[] joined = Notifications.ParticipantJoined(joining);
            foreach (SessionConnection other in others)
            {
                other.Rpc?.Send(joined);
            }

            rpc.Send(answer(joining, others));
            return joining;
        }
    }

    /// <summary>
    /// Removes a connection. An active one's participant leaves: the others get <c>participantLeft</c>; when
    /// <paramref name="evicted"/>, everyone who was there, the evicted one included, then gets
    /// <c>participantEvicted</c>. <paramref name="lastLeft"/> tells that nobody active remains after an active one
    /// left. False when the connection is not in the session.
    /// </summary>
    internal bool Remove(string connectionId, string reason, bool evicted, out SessionConnection? removed, out bool lastLeft)
    {
        lock (_gate)
        {
            lastLeft = false;
            if (!_connections.Remove(connectionId, out removed))
            {
                return false;
            }

            if (!removed.IsActive)
            {
                return true;
            }

            if (removed.Stream is { } stream)
            {
                foreach (string id in stream.Subscribers)
                {
                    _connections.GetValueOrDefault(id)?.Subscriptions.Remove(stream.StreamId);
                }
            }

            foreach (string streamId in removed.Subscriptions.Keys)
            {
                foreach (SessionConnection c in _connections.Values)
                {
                    if (c.Stream is { } s && s.StreamId == streamId)
                    {
                        s.Subscribers.Remove(removed.ConnectionId);
                    }
                }
            }

            RpcSession? rpc = removed.Rpc;
            removed.Rpc = null;
            if (rpc is not null)
            {
                rpc.Participant = null;
                rpc.Session = null;
            }

            SessionConnection[] remaining = [.. _connections.Values.Where(c => c.IsActive)];
            byte[] left = Notifications.ParticipantLeft(connectionId, reason);
            foreach (SessionConnection other in remaining)
            {
                other.Rpc?.Send(left);
            }

            if (evicted)
            {
                byte[] eviction = Notifications.ParticipantEvicted(connectionId, reason);
                foreach (SessionConnection other in remaining)
                {
                    other.Rpc?.Send(eviction);
                }

                rpc?.Send(eviction);
            }

            lastLeft = remaining.Length == 0;
            return true;
        }
    }

    /// <summary>
    /// Sends a signal to the listed active connections, or to every active one (the sender included) when the list
    /// is empty. Null, with nothing sent, when any listed id is not an active connection of this session; otherwise
    /// the ids it went to.
    /// </summary>
    internal IReadOnlyList<string>? Signal(string? from, IReadOnlyList<string?> to, string? type, string? data)
    {
        lock (_gate)
        {
            List<SessionConnection> recipients = [];
            if (to.Count == 0)
            {
                recipients.AddRange(_connections.Values.Where(c => c.IsActive));
            }
            else
            {
                foreach (string? id in to)
                {
                    if (id is null || !_connections.TryGetValue(id, out SessionConnection? c) || !c.IsActive)
                    {
                        return null;
                    }

                    if (!recipients.Contains(c))
                    {
                        recipients.Add(c);
                    }
                }
            }

            byte[] frame = Notifications.SendMessage(data, type, from);
            foreach (SessionConnection recipient in recipients)
            {
                recipient.Rpc?.Send(frame);
            }

            return [.. recipients.Select(c => c.ConnectionId)];
        }
    }

    /// <summary>The active connection publishing <paramref name="streamId"/>, and the stream; null when none does.</summary>
    internal (SessionConnection Publisher, PublishedStream Stream)? FindStream(string streamId)
    {
        lock (_gate)
        {
            foreach (SessionConnection c in _connections.Values)
            {
                if (c.IsActive && c.Stream is { } stream && stream.StreamId == streamId)
                {
                    return (c, stream);
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Records <paramref name="publisher"/>'s new stream, answers it with <paramref name="result"/>, then tells the
    /// others (<c>participantPublished</c>). False when the publisher has left or published meanwhile.
    /// </summary>
    internal bool Publish(SessionConnection publisher, PublishedStream stream, byte[] result)
    {
        lock (_gate)
        {
            if (!publisher.IsActive || !_connections.ContainsKey(publisher.ConnectionId) || publisher.Stream is not null)
            {
                return false;
            }

            publisher.Stream = stream;
            publisher.Rpc?.Send(result);
            byte[] published = Notifications.ParticipantPublished(publisher.ConnectionId, stream);
            foreach (SessionConnection other in _connections.Values)
            {
                if (other.IsActive && other != publisher)
                {
                    other.Rpc?.Send(published);
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Ends <paramref name="publisher"/>'s stream: the others get <c>participantUnpublished</c> (the owner too when
    /// it was forced). Returns the stream and the connections that were subscribed, or null when none was published.
    /// </summary>
    internal (PublishedStream Stream, string[] Subscribers)? Unpublish(SessionConnection publisher, string reason, bool tellOwner)
    {
        lock (_gate)
        {
            if (publisher.Stream is not { } stream)
            {
                return null;
            }

            publisher.Stream = null;
            string[] subscribers = [.. stream.Subscribers];
            foreach (string id in subscribers)
            {
                _connections.GetValueOrDefault(id)?.Subscriptions.Remove(stream.StreamId);
            }

            byte[] unpublished = Notifications.ParticipantUnpublished(publisher.ConnectionId, reason);
            foreach (SessionConnection c in _connections.Values)
            {
                if (c.IsActive && (c != publisher || tellOwner))
                {
                    c.Rpc?.Send(unpublished);
                }
            }

            return (stream, subscribers);
        }
    }

    /// <summary>Records a subscription once the media server has set it up; false if either side is gone.</summary>
    internal bool AddSubscription(SessionConnection subscriber, PublishedStream stream, long now)
    {
        lock (_gate)
        {
            if (!subscriber.IsActive || !_connections.ContainsKey(subscriber.ConnectionId) || !_connections.Values.Any(c => c.Stream == stream))
            {
                return false;
            }

            subscriber.Subscriptions[stream.StreamId] = now;
            stream.Subscribers.Add(subscriber.ConnectionId);
            return true;
        }
    }

    /// <summary>Forgets a subscription; the stream id, or null when there was none to the publisher.</summary>
    internal string? RemoveSubscription(SessionConnection subscriber, string publisherConnectionId)
    {
        lock (_gate)
        {
            if (_connections.GetValueOrDefault(publisherConnectionId)?.Stream is not { } stream || !subscriber.Subscriptions.Remove(stream.StreamId))
            {
                return null;
            }

            stream.Subscribers.Remove(subscriber.ConnectionId);
            return stream.StreamId;
        }
    }

    /// <summary>
    /// Applies a <c>streamPropertyChanged</c> of the publisher's own stream and tells the others; false when the
    /// stream is not the publisher's.
    /// </summary>
    internal bool ChangeStreamProperty(SessionConnection publisher, string streamId, string property, string newValueJson, string reason)
    {
        lock (_gate)
        {
            if (publisher.Stream is not { } stream || stream.StreamId != streamId)
            {
                return false;
            }

            switch (property)
            {
                case "audioActive":
                    stream.AudioActive = newValueJson == "true";
                    break;
                case "videoActive":
                    stream.VideoActive = newValueJson == "true";
                    break;
                case "videoDimensions":
                    stream.VideoDimensions = System.Text.Json.JsonSerializer.Deserialize<string>(newValueJson) ?? stream.VideoDimensions;
                    break;
            }

            byte[] changed = Notifications.StreamPropertyChanged(publisher.ConnectionId, streamId, property, newValueJson, reason);
            foreach (SessionConnection c in _connections.Values)
            {
                if (c.IsActive && c != publisher)
                {
                    c.Rpc?.Send(changed);
                }
            }

            return true;
        }
    }

    /// <summary>Marks the session closed so no one joins any more; its remaining connections are returned.</summary>
    internal IReadOnlyList<SessionConnection> Close()
    {
        lock (_gate)
        {
            IsClosed = true;
            return [.. _connections.Values];
        }
    }

    /// <summary>The <c>tok_…</c> of a presented token: its <c>token</c> query parameter, or the whole string when it
    /// is bare. Matching on it (not on the whole URL) lets a proxy rewrite the host without breaking joins.</summary>
    private static string TokenKeyOf(string presented)
    {
        int query = presented.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return presented;
        }

        foreach (string pair in presented[(query + 1)..].Split('&'))
        {
            if (pair.StartsWith("token=", StringComparison.Ordinal))
            {
                return pair["token=".Length..];
            }
        }

        return "";
    }
}
