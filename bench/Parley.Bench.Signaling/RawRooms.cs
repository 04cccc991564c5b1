using System.Collections.Concurrent;

namespace Parley.Bench.Signaling;

/// <summary>The raw server's rooms, by the <c>sessionId</c> the clients put in the WebSocket URL (empty when they
/// give none): a signal goes to its sender's room only. Rooms are never removed; a run makes a few hundred at most.
/// Connection ids are unique across rooms.</summary>
internal sealed class RawRooms
{
    private readonly ConcurrentDictionary<string, RawPeers> _rooms = new(StringComparer.Ordinal);
    private int _connections;

    public RawPeers Get(string sessionId) => _rooms.GetOrAdd(sessionId, static _ => new RawPeers());

    public string NextConnectionId() => $"con_raw{Interlocked.Increment(ref _connections)}";
}
