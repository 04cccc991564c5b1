using System.Collections.Concurrent;

namespace Parley.Signaling.Rpc;

/// <summary>The live JSON-RPC sessions by private id, so a client can resume one with <c>connect</c>.</summary>
public sealed class RpcSessionRegistry
{
    private readonly ConcurrentDictionary<string, RpcSession> _sessions = new(StringComparer.Ordinal);

    public RpcSession Create(long now)
    {
        var session = new RpcSession(Ids.NewRpcSessionId(), now);
        _sessions[session.Id] = session;
        return session;
    }

    public RpcSession? Find(string id) => _sessions.GetValueOrDefault(id);

    public int Count => _sessions.Count;

    internal IEnumerable<RpcSession> All => _sessions.Values;

    internal void Remove(RpcSession session) => _sessions.TryRemove(new KeyValuePair<string, RpcSession>(session.Id, session));
}
