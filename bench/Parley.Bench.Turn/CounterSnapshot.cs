namespace Parley.Bench.Turn;

/// <summary>Counter totals over many <see cref="LoadCounters"/> at one instant.</summary>
internal sealed record CounterSnapshot(long Sent, long Answered, long Lost, long Late, IReadOnlyList<long> Faults)
{
    public static CounterSnapshot Empty { get; } = new(0, 0, 0, 0, new long[RelayFaults.Count]);

    /// <summary>Every fault counts as an error.</summary>
    public long Errors => Faults.Sum();

    public static CounterSnapshot Sum(IEnumerable<LoadCounters> counters)
    {
        long sent = 0, answered = 0, lost = 0, late = 0;
        long[] faults = new long[RelayFaults.Count];
        foreach (LoadCounters c in counters)
        {
            sent += c.Sent;
            answered += c.Answered;
            lost += c.Lost;
            late += c.Late;
            for (int i = 0; i < faults.Length; i++)
            {
                faults[i] += c.GetFaults((RelayFault)i);
            }
        }

        return new CounterSnapshot(sent, answered, lost, late, faults);
    }

    /// <summary>The faults that occurred, by description.</summary>
    public IReadOnlyDictionary<string, long> FaultBreakdown()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < Faults.Count; i++)
        {
            if (Faults[i] != 0)
            {
                result[RelayFaults.Describe((RelayFault)i)] = Faults[i];
            }
        }

        return result;
    }

    public static CounterSnapshot operator +(CounterSnapshot a, CounterSnapshot b) => new(
        a.Sent + b.Sent, a.Answered + b.Answered, a.Lost + b.Lost, a.Late + b.Late,
        [.. a.Faults.Zip(b.Faults, (x, y) => x + y)]);
}
