namespace Parley.Signaling;

/// <summary>
/// A session (OpenVidu's Session): its properties and its connections in creation order. Every change happens
/// under one lock per session; readers get consistent snapshots.
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

    /// <summary>Creates a pending connection whose token points at <paramref name="tokenBaseUrl"/>
    /// (<c>ws://host:port</c>); null when the session has been closed meanwhile.</summary>
    internal SessionConnection? CreateConnection(ConnectionProperties properties, string tokenBaseUrl, long now)
    {
        string connectionId = Ids.NewConnectionId();
        string token = $"{tokenBaseUrl}?sessionId={Uri.EscapeDataString(SessionId)}&token={Ids.NewToken()}";
        var connection = new SessionConnection(connectionId, token, now, properties);
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

    /// <summary>Removes a connection: a pending one's token stops working.</summary>
    internal bool RemoveConnection(string connectionId)
    {
        lock (_gate)
        {
            return _connections.Remove(connectionId);
        }
    }

    /// <summary>Applies a PATCH of role and/or record; false when the connection is gone.</summary>
    internal bool UpdateConnection(string connectionId, OpenViduRole? role, bool? record)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connectionId, out SessionConnection? connection))
            {
                return false;
            }

            connection.Role = role ?? connection.Role;
            connection.Record = record ?? connection.Record;
            return true;
        }
    }

    internal void Close()
    {
        lock (_gate)
        {
            IsClosed = true;
            _connections.Clear();
        }
    }
}
