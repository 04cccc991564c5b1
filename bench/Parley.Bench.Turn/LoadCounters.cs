namespace Parley.Bench.Turn;

/// <summary>
/// Counters that one load thread writes and the coordinating thread reads while it runs. Each client (and each peer
/// socket) has its own, written by one thread only, so the writes are plain increments published with
/// <see cref="Volatile"/>: no locked instruction on the packet path.
/// </summary>
internal sealed class LoadCounters
{
    private readonly long[] _faults = new long[RelayFaults.Count];
    private long _sent;
    private long _answered;
    private long _lost;
    private long _late;

    /// <summary>Packets sent towards the server (or, for a peer, echoed back).</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Packets that came back intact and were expected.</summary>
    public long Answered => Volatile.Read(ref _answered);

    /// <summary>Closed loop: packets given up on after the timeout.</summary>
    public long Lost => Volatile.Read(ref _lost);

    /// <summary>Closed loop: packets that came back after they had been given up on.</summary>
    public long Late => Volatile.Read(ref _late);

    public void AddSent() => Volatile.Write(ref _sent, _sent + 1);

    public void AddAnswered() => Volatile.Write(ref _answered, _answered + 1);

    public void AddLost() => Volatile.Write(ref _lost, _lost + 1);

    public void AddLate() => Volatile.Write(ref _late, _late + 1);

    public void AddFault(RelayFault fault) => Volatile.Write(ref _faults[(int)fault], _faults[(int)fault] + 1);

    public long GetFaults(RelayFault fault) => Volatile.Read(ref _faults[(int)fault]);
}
