namespace Parley.Turn;

/// <summary>
/// What the TURN server has done since it started, for the metrics endpoint. Rare events are counted atomically;
/// the per-datagram counts go to a slot per thread (no atomic operation and no cache line shared between cores on
/// the packet path) and are summed when read.
/// </summary>
public sealed class TurnCounters : Parley.Sockets.ISendBatchListener
{
    internal long AllocationsCreatedField;
    internal long AllocationsDeletedField;
    internal long PermissionsCreatedField;
    internal long ChannelsBoundField;
    internal long AuthFailuresField;

    private readonly ThreadLocal<TrafficSlot> _slots = new(() => new TrafficSlot(), trackAllValues: true);

    public long AllocationsCreated => Interlocked.Read(ref AllocationsCreatedField);

    public long AllocationsDeleted => Interlocked.Read(ref AllocationsDeletedField);

    public long PermissionsCreated => Interlocked.Read(ref PermissionsCreatedField);

    public long ChannelsBound => Interlocked.Read(ref ChannelsBoundField);

    /// <summary>Requests refused for their credentials (401, 438), rate-limited ones included.</summary>
    public long AuthFailures => Interlocked.Read(ref AuthFailuresField);

    /// <summary>Datagrams (or TCP reads) relayed from clients to peers, and their payload bytes.</summary>
    public long PacketsRelayedOut => Sum(static s => s.PacketsOut);

    public long BytesRelayedOut => Sum(static s => s.BytesOut);

    /// <summary>Datagrams (or TCP reads) relayed from peers to clients, and their payload bytes.</summary>
    public long PacketsRelayedIn => Sum(static s => s.PacketsIn);

    public long BytesRelayedIn => Sum(static s => s.BytesIn);

    /// <summary>Datagrams not relayed: no permission or channel, a refused peer, over the bandwidth cap.</summary>
    public long PacketsDropped => Sum(static s => s.Dropped);

    internal void RelayedOut(int bytes)
    {
        TrafficSlot slot = _slots.Value!;
        slot.PacketsOut++;
        slot.BytesOut += bytes;
    }

    internal void RelayedIn(int bytes)
    {
        TrafficSlot slot = _slots.Value!;
        slot.PacketsIn++;
        slot.BytesIn += bytes;
    }

    internal void Dropped() => _slots.Value!.Dropped++;

    /// <summary>A relayed datagram a <see cref="Parley.Sockets.SendBatch"/> sent: its tag is its payload length.</summary>
    void Parley.Sockets.ISendBatchListener.Sent(int tag) => RelayedIn(tag);

    void Parley.Sockets.ISendBatchListener.Dropped(int tag, int error) => Dropped();

    private long Sum(Func<TrafficSlot, long> field)
    {
        long total = 0;
        foreach (TrafficSlot slot in _slots.Values)
        {
            total += field(slot); // a 64-bit read is whole on 64-bit platforms; a count a moment old is fine
        }

        return total;
    }

    /// <summary>One thread's counts, written only by that thread.</summary>
    private sealed class TrafficSlot
    {
        public long PacketsOut;
        public long BytesOut;
        public long PacketsIn;
        public long BytesIn;
        public long Dropped;
    }
}
