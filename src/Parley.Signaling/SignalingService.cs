using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Signaling.Media;
using Parley.Signaling.Rpc;

namespace Parley.Signaling;

/// <summary>
/// What changes sessions and participants, shared by the WebSocket RPC and the REST API: participants leaving or
/// being evicted, sessions closing (by the API, or when their last participant leaves), and the periodic sweep that
/// enforces the keep-alive watchdog, the reconnection window and the garbage collection of unused sessions.
/// </summary>
public sealed partial class SignalingService
{
    private readonly SessionRegistry sessions;
    private readonly RpcSessionRegistry rpcSessions;
    private readonly WebhookSender webhook;
    private readonly IMediaServer media;
    private readonly IOptions<SignalingOptions> options;
    private readonly ILogger<SignalingService> log;

    public SignalingService(SessionRegistry sessions, RpcSessionRegistry rpcSessions, WebhookSender webhook, IMediaServer media,
        IOptions<SignalingOptions> options, ILogger<SignalingService> log)
    {
        this.sessions = sessions;
        this.rpcSessions = rpcSessions;
        this.webhook = webhook;
        this.media = media;
        this.options = options;
        this.log = log;
        media.EndpointLost += OnEndpointLost;
    }

    /// <summary>How long an evicted client's socket stays open for it to read why (OpenVidu: 10 s).</summary>
    internal const long EvictedSocketGraceMs = 10_000;

    public SessionRegistry Sessions => sessions;

    public RpcSessionRegistry RpcSessions => rpcSessions;

    internal SignalingOptions Options => options.Value;

    /// <summary>
    /// Removes a connection from its session: a pending one's token stops working; an active one's participant leaves
    /// (others get <c>participantLeft</c>) or, when <paramref name="evicted"/>, is evicted (everyone also gets
    /// <c>participantEvicted</c> and the evicted client's socket is closed after a grace period). The session
    /// closes when its last participant leaves. False when the connection is not in the session.
    /// </summary>
    public bool RemoveConnection(SignalingSession session, string connectionId, string reason, bool evicted)
    {
        if (!Remove(session, connectionId, reason, evicted, out bool lastLeft))
        {
            return false;
        }

        if (lastLeft)
        {
            CloseSession(session, EndReason.LastParticipantLeft);
        }

        return true;
    }

    private bool Remove(SignalingSession session, string connectionId, string reason, bool evicted, out bool lastLeft)
    {
        RpcSession? rpc = session.FindConnection(connectionId)?.Rpc;
        if (!session.Remove(connectionId, reason, evicted, out SessionConnection? removed, out lastLeft))
        {
            return false;
        }

        if (removed!.ActiveAt is { } activeAt)
        {
            ReleaseMedia(session, removed, reason);
            LogParticipantLeft(session.SessionId, connectionId, reason);
            long now = sessions.Now;
            webhook.Post(WebhookEvent.ParticipantLeft, session, now, json =>
            {
                WriteParticipant(json, removed);
                WriteEnd(json, activeAt, now, reason);
            });
        }

        if (evicted && rpc is not null)
        {
            rpc.CloseAt = sessions.Now + EvictedSocketGraceMs;
        }

        return true;
    }

    /// <summary>Frees a departed participant's publisher endpoint (and its subscribers' endpoints) and its own
    /// subscriber endpoints. No participantUnpublished is sent: openvidu-browser derives it from participantLeft.</summary>
    private void ReleaseMedia(SignalingSession session, SessionConnection departed, string reason)
    {
        if (departed.Stream is { } stream)
        {
            foreach (string subscriber in stream.Subscribers)
            {
                media.Release($"{subscriber}_{stream.StreamId}");
                OnWebRtcConnectionDestroyed(session, subscriber, stream, departed.ConnectionId, reason);
            }

            media.Release(stream.StreamId);
            OnWebRtcConnectionDestroyed(session, departed.ConnectionId, stream, receivingFrom: null, reason);
        }

        foreach (string streamId in departed.Subscriptions.Keys)
        {
            media.Release($"{departed.ConnectionId}_{streamId}");
            if (session.FindStream(streamId) is { } publisher)
            {
                OnWebRtcConnectionDestroyed(session, departed.ConnectionId, publisher.Stream, publisher.Publisher.ConnectionId, reason);
            }
        }
    }

    /// <summary>
    /// Ends a participant's stream (unpublishVideo, forceUnpublish, REST DELETE stream): the others are told, the
    /// owner too when forced, and the media endpoints are freed. False when nothing was published.
    /// </summary>
    public bool Unpublish(SignalingSession session, SessionConnection publisher, string reason, bool forced)
    {
        if (session.Unpublish(publisher, reason, tellOwner: forced) is not { } ended)
        {
            return false;
        }

        foreach (string subscriber in ended.Subscribers)
        {
            media.Release($"{subscriber}_{ended.Stream.StreamId}");
            OnWebRtcConnectionDestroyed(session, subscriber, ended.Stream, publisher.ConnectionId, reason);
        }

        media.Release(ended.Stream.StreamId);
        OnWebRtcConnectionDestroyed(session, publisher.ConnectionId, ended.Stream, receivingFrom: null, reason);
        LogUnpublished(session.SessionId, ended.Stream.StreamId, reason);
        return true;
    }

    /// <summary>
    /// The media server lost an endpoint's peer (its consent to receive expired, or DTLS failed). A lost publisher
    /// stream is unpublished with <c>networkDisconnect</c> (its owner is told too, so the app can publish again); a
    /// lost subscription is forgotten (openvidu-browser re-subscribes when its peer connection fails).
    /// </summary>
    private void OnEndpointLost(string sessionId, string endpointId)
    {
        if (sessions.Find(sessionId) is not { } session)
        {
            return;
        }

        if (session.FindStream(endpointId) is { } published)
        {
            Unpublish(session, published.Publisher, EndReason.NetworkDisconnect, forced: true);
            return;
        }

        foreach (SessionConnection subscriber in session.GetConnections(includePending: false))
        {
            if (endpointId.StartsWith(subscriber.ConnectionId + "_", StringComparison.Ordinal))
            {
                string streamId = endpointId[(subscriber.ConnectionId.Length + 1)..];
                int at = streamId.LastIndexOf("con_", StringComparison.Ordinal);
                if (at >= 0 && session.FindStream(streamId) is { } subscribed
                    && session.RemoveSubscription(subscriber, streamId[at..]) is not null)
                {
                    OnWebRtcConnectionDestroyed(session, subscriber.ConnectionId, subscribed.Stream, subscribed.Publisher.ConnectionId,
                        EndReason.NetworkDisconnect);
                }
            }
        }
    }

    /// <summary>Webhook <c>sessionCreated</c>, for a session created through the REST API.</summary>
    public void OnSessionCreated(SignalingSession session) =>
        webhook.Post(WebhookEvent.SessionCreated, session, session.CreatedAt, _ => { });

    /// <summary>Webhook <c>participantJoined</c>.</summary>
    public void OnParticipantJoined(SignalingSession session, SessionConnection joined) =>
        webhook.Post(WebhookEvent.ParticipantJoined, session, joined.ActiveAt ?? sessions.Now, json => WriteParticipant(json, joined));

    /// <summary>When each media connection began, for the duration of its <c>webrtcConnectionDestroyed</c>.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _mediaStarted = new(StringComparer.Ordinal);

    /// <summary>Webhook <c>webrtcConnectionCreated</c>: <paramref name="connectionId"/> publishes <paramref name="stream"/>
    /// (OUTBOUND), or receives it from <paramref name="receivingFrom"/> (INBOUND).</summary>
    public void OnWebRtcConnectionCreated(SignalingSession session, string connectionId, PublishedStream stream, string? receivingFrom)
    {
        long now = sessions.Now;
        _mediaStarted[MediaKey(connectionId, stream, receivingFrom)] = now;
        webhook.Post(WebhookEvent.WebRtcConnectionCreated, session, now, json => WriteMediaConnection(json, connectionId, stream, receivingFrom));
    }

    /// <summary>Webhook <c>webrtcConnectionDestroyed</c>, with the start time, duration and reason.</summary>
    public void OnWebRtcConnectionDestroyed(SignalingSession session, string connectionId, PublishedStream stream, string? receivingFrom, string reason)
    {
        long now = sessions.Now;
        if (!_mediaStarted.TryRemove(MediaKey(connectionId, stream, receivingFrom), out long started))
        {
            return; // never reported as created (its negotiation failed)
        }

        webhook.Post(WebhookEvent.WebRtcConnectionDestroyed, session, now, json =>
        {
            WriteMediaConnection(json, connectionId, stream, receivingFrom);
            WriteEnd(json, started, now, reason);
        });
    }

    private static string MediaKey(string connectionId, PublishedStream stream, string? receivingFrom) =>
        receivingFrom is null ? stream.StreamId : $"{connectionId}_{stream.StreamId}";

    /// <summary>The fields of OpenVidu's webrtcConnection events (openvidu-protocol.md §6).</summary>
    private static void WriteMediaConnection(System.Text.Json.Utf8JsonWriter json, string connectionId, PublishedStream stream, string? receivingFrom)
    {
        json.WriteString("streamId", stream.StreamId);
        json.WriteString("participantId", connectionId);
        json.WriteString("connectionId", connectionId);
        json.WriteString("connection", receivingFrom is null ? "OUTBOUND" : "INBOUND");
        if (receivingFrom is not null)
        {
            json.WriteString("receivingFrom", receivingFrom);
        }

        if (stream.HasVideo)
        {
            json.WriteString("videoSource", stream.TypeOfVideo);
            json.WriteNumber("videoFramerate", stream.FrameRate);
            json.WriteString("videoDimensions", stream.VideoDimensions);
        }

        json.WriteBoolean("audioEnabled", stream.HasAudio);
        json.WriteBoolean("videoEnabled", stream.HasVideo);
    }

    /// <summary>Webhook <c>signalSent</c>: <paramref name="to"/> are the connections it reached; no sender for REST.</summary>
    public void OnSignalSent(SignalingSession session, string? from, IReadOnlyList<string> to, string? type, string? data) =>
        webhook.Post(WebhookEvent.SignalSent, session, sessions.Now, json =>
        {
            json.WriteString("from", from);
            json.WriteStartArray("to");
            foreach (string id in to)
            {
                json.WriteStringValue(id);
            }

            json.WriteEndArray();
            json.WriteString("type", type);
            json.WriteString("data", data);
        });

    private static void WriteParticipant(System.Text.Json.Utf8JsonWriter json, SessionConnection c)
    {
        json.WriteString("participantId", c.ConnectionId);
        json.WriteString("connectionId", c.ConnectionId);
        json.WriteString("location", "unknown");
        json.WriteString("ip", c.Ip);
        json.WriteString("platform", c.Platform);
        json.WriteString("clientData", c.ClientData);
        json.WriteString("serverData", c.Properties.Data);
    }

    /// <summary>The fields of an "end" event: <c>startTime</c> (ms), <c>duration</c> (whole seconds), <c>reason</c>.</summary>
    private static void WriteEnd(System.Text.Json.Utf8JsonWriter json, long startTime, long now, string reason)
    {
        json.WriteNumber("startTime", startTime);
        json.WriteNumber("duration", (now - startTime) / 1000);
        json.WriteString("reason", reason);
    }

    /// <summary>Closes a session: every participant is evicted with <paramref name="reason"/>, every token dies.</summary>
    public bool CloseSession(SignalingSession session, string reason)
    {
        if (!sessions.Remove(session))
        {
            return false;
        }

        foreach (SessionConnection connection in session.Close())
        {
            Remove(session, connection.ConnectionId, reason, evicted: true, out _);
        }

        LogSessionClosed(session.SessionId, reason);
        long now = sessions.Now;
        webhook.Post(WebhookEvent.SessionDestroyed, session, now, json => WriteEnd(json, session.CreatedAt, now, reason));
        return true;
    }

    /// <summary>
    /// One pass of housekeeping at <paramref name="now"/>: sockets whose client stopped pinging for three intervals
    /// are closed; clients gone longer than the reconnection window (or with more piled up than they can catch up
    /// on) are evicted with <c>networkDisconnect</c>; evicted clients' sockets are closed after their grace period;
    /// sessions nobody ever joined are closed once older than the garbage threshold.
    /// </summary>
    public void Sweep(long now)
    {
        long reconnectionWindow = (long)options.Value.ReconnectionWindow.TotalMilliseconds;
        foreach (RpcSession rpc in rpcSessions.All)
        {
            if (rpc.DetachedAt is null)
            {
                bool silent = rpc.PingIntervalMs > 0 && now - rpc.LastPingAt > 3 * rpc.PingIntervalMs;
                bool evictedLongAgo = rpc.CloseAt is { } closeAt && now >= closeAt;
                if (silent || evictedLongAgo || rpc.Overflowed)
                {
                    rpc.AbortSocket();
                }

                continue;
            }

            if (rpc.Participant is null)
            {
                rpcSessions.Remove(rpc);
            }
            else if (now - rpc.DetachedAt >= reconnectionWindow || rpc.Overflowed)
            {
                rpcSessions.Remove(rpc);
                if (rpc.Session is { } session)
                {
                    RemoveConnection(session, rpc.Participant.ConnectionId, EndReason.NetworkDisconnect, evicted: true);
                }
            }
        }

        long threshold = (long)options.Value.SessionGarbageThreshold.TotalMilliseconds;
        foreach (SignalingSession session in sessions.All)
        {
            if (!session.EverActive && now - session.CreatedAt > threshold)
            {
                CloseSession(session, EndReason.AutomaticStop);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {ConnectionId} left ({Reason})")]
    private partial void LogParticipantLeft(string sessionId, string connectionId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: stream {StreamId} unpublished ({Reason})")]
    private partial void LogUnpublished(string sessionId, string streamId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} closed ({Reason})")]
    private partial void LogSessionClosed(string sessionId, string reason);
}
