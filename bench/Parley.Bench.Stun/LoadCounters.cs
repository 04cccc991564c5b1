namespace Parley.Bench.Stun;

/// <summary>
/// Counters one load thread writes and the coordinating thread reads while it runs; each thread has its own
/// instance, so the increments never contend.
/// </summary>
internal sealed class LoadCounters
{
    private readonly long[] _faults = new long[StunWire.FaultCount];
    private long _sent;
    private long _answered;
    private long _lost;
    private long _late;

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Valid answers.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Requests given up on after the timeout.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Valid answers that came after their request had been given up on.</summary>
    public long Late => Interlocked.Read(ref _late);

    public void AddSent() => Interlocked.Increment(ref _sent);

    public void AddAnswered() => Interlocked.Increment(ref _answered);

    public void AddLost() => Interlocked.Increment(ref _lost);

    public void AddLate() => Interlocked.Increment(ref _late);

    public void AddFault(Fault fault) => Interlocked.Increment(ref _faults[(int)fault]);

    public long GetFaults(Fault fault) => Interlocked.Read(ref _faults[(int)fault]);

    public static CounterSnapshot Sum(IEnumerable<LoadCounters> counters)
    {
        long sent = 0, answered = 0, lost = 0, late = 0;
        long[] faults = new long[StunWire.FaultCount];
        foreach (LoadCounters c in counters)
        {
            sent += c.Sent;
            answered += c.Answered;
            lost += c.Lost;
            late += c.Late;
            for (int i = 0; i < faults.Length; i++)
            {
                faults[i] += c.GetFaults((Fault)i);
            }
        }

        return new CounterSnapshot(sent, answered, lost, late, faults);
    }
}

/// <summary>Counter totals at one instant.</summary>
internal sealed record CounterSnapshot(long Sent, long Answered, long Lost, long Late, IReadOnlyList<long> Faults)
{
    public long Errors => Faults.Sum();

    /// <summary>The faults that occurred, by name, for the report.</summary>
    public IReadOnlyDictionary<string, long> FaultBreakdown()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < Faults.Count; i++)
        {
            if (Faults[i] != 0)
            {
                result[StunWire.Describe((Fault)i)] = Faults[i];
            }
        }

        return result;
    }
}
