using Parley.Bench.Common;

namespace Parley.Bench.Stun;

/// <summary>Everything measured about one server.</summary>
internal sealed class ServerResult(string name, string command)
{
    public string Name { get; } = name;

    /// <summary>How the server was run, for the record.</summary>
    public string Command { get; } = command;

    public List<ClosedLoopResult> Rounds { get; } = [];

    public OpenLoopResult? OpenLoop { get; set; }

    public TimeSpan StartupTime { get; set; }

    public long? ResidentIdleBytes { get; set; }

    public long? ResidentAfterBytes { get; set; }

    public long? PeakResidentBytes { get; set; }

    public int? Threads { get; set; }

    /// <summary>CPU the server used while the other server was being measured, and for how long that was.</summary>
    public IdleCpu IdleCpu { get; } = new();

    /// <summary>The median of the closed-loop rounds' answered/s.</summary>
    public double MedianAnsweredPerSecond => Statistics.Median(Rounds.Select(r => r.AnsweredPerSecond));

    /// <summary>Faulty answers and failed sends, over all runs.</summary>
    public long Errors => Rounds.Sum(r => r.Totals.Errors) + (OpenLoop?.Totals.Errors ?? 0);

    /// <summary>Closed-loop requests unanswered within the timeout, over the measured intervals.</summary>
    public long TimedOut => Rounds.Sum(r => r.Lost);

    /// <summary>Server CPU per answered request over all closed-loop rounds, in microseconds.</summary>
    public double CpuMicrosecondsPerAnswer
    {
        get
        {
            long answered = Rounds.Sum(r => r.Answered);
            return answered == 0 ? double.NaN : Rounds.Sum(r => r.ServerCpu.TotalMicroseconds) / answered;
        }
    }

    /// <summary>Server CPU use over all closed-loop rounds, in cores.</summary>
    public double Cores
    {
        get
        {
            double seconds = Rounds.Sum(r => r.Measured.TotalSeconds);
            return seconds == 0 ? double.NaN : Rounds.Sum(r => r.ServerCpu.TotalSeconds) / seconds;
        }
    }

    /// <summary>Every fault seen, by description, over all runs.</summary>
    public IReadOnlyDictionary<string, long> Faults()
    {
        var faults = new SortedDictionary<string, long>(StringComparer.Ordinal);
        IEnumerable<CounterSnapshot> snapshots = Rounds.Select(r => r.Totals);
        if (OpenLoop is not null)
        {
            snapshots = snapshots.Append(OpenLoop.Totals);
        }

        foreach (CounterSnapshot snapshot in snapshots)
        {
            foreach ((string fault, long count) in snapshot.FaultBreakdown())
            {
                faults[fault] = faults.GetValueOrDefault(fault) + count;
            }
        }

        return faults;
    }
}
