using System.Collections.Concurrent;

namespace Parley.Signaling;

/// <summary>All sessions of this server, in memory.</summary>
public sealed class SessionRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SignalingSession> _sessions = new(StringComparer.Ordinal);

    public long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates a session; false (with the existing one) when <c>customSessionId</c> is taken.</summary>
    public bool TryCreate(SessionProperties properties, out SignalingSession session)
    {
        string id = properties.CustomSessionId.Length > 0 ? properties.CustomSessionId : Ids.NewSessionId();
        var created = new SignalingSession(id, Now, properties);
        session = _sessions.GetOrAdd(id, created);
        return ReferenceEquals(session, created);
    }

    public SignalingSession? Find(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    /// <summary>Sessions in creation order.</summary>
    public IReadOnlyList<SignalingSession> All => [.. _sessions.Values.OrderBy(s => s.CreatedAt)];

    /// <summary>Takes a session out of the registry (only that instance, should a new one have taken its id).</summary>
    internal bool Remove(SignalingSession session) =>
        _sessions.TryRemove(new KeyValuePair<string, SignalingSession>(session.SessionId, session));
}
