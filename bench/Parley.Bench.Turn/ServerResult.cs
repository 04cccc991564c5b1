using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>Everything measured about one server, or why it could not be.</summary>
internal sealed class ServerResult(string name)
{
    public string Name { get; } = name;

    /// <summary>How the server was run, for the record; empty when it was never started.</summary>
    public string Command { get; set; } = "";

    /// <summary>Why the server dropped out (it did not build or start, refused or botched the TURN set-up, or
    /// died); null while all goes well. A failed server is stopped and measured no further.</summary>
    public string? Failure { get; set; }

    /// <summary>In which part of the run it failed: "start", "closed loop 1", "open loop"...</summary>
    public string? FailedDuring { get; set; }

    /// <summary>The unmeasured first round: only its errors count.</summary>
    public ClosedLoopResult? WarmupRound { get; set; }

    public List<ClosedLoopResult> Rounds { get; } = [];

    public OpenLoopResult? OpenLoop { get; set; }

    /// <summary>The allocation phase's rounds, in order.</summary>
    public List<AllocationRound> AllocationRounds { get; } = [];

    public TimeSpan StartupTime { get; set; }

    public long? ResidentIdleBytes { get; set; }

    public long? ResidentAfterBytes { get; set; }

    public long? PeakResidentBytes { get; set; }

    public int? Threads { get; set; }

    /// <summary>CPU the server used while another server was being measured.</summary>
    public IdleCpu IdleCpu { get; } = new();

    public bool Failed => Failure is not null;

    /// <summary>The median of the closed-loop rounds' round trips per second.</summary>
    public double MedianRoundTripsPerSecond => Statistics.Median(Rounds.Select(r => r.RoundTripsPerSecond));

    /// <summary>Wrong datagrams, failed sends and failed releases over all runs, the warm-up round included, and
    /// the allocation phase's failed allocations and releases.</summary>
    public long Errors => Rounds.Sum(r => r.Errors) + (OpenLoop?.Errors ?? 0) + (WarmupRound?.Errors ?? 0)
        + AllocationRounds.Sum(r => r.Errors);

    /// <summary>The median of the allocation rounds' allocations per second.</summary>
    public double MedianAllocationsPerSecond => Statistics.Median(AllocationRounds.Select(r => r.AllocationsPerSecond));

    /// <summary>The median of the allocation rounds' releases per second.</summary>
    public double MedianReleasesPerSecond => Statistics.Median(AllocationRounds.Select(r => r.ReleasesPerSecond));

    /// <summary>
    /// The RSS each allocation held costs, from the first allocation round: later rounds reuse the memory the
    /// first one's allocations left behind, in the server's heap or its allocator, and would understate it.
    /// </summary>
    public double? MemoryPerAllocationBytes => AllocationRounds.FirstOrDefault()?.MemoryPerAllocationBytes;

    /// <summary>Server CPU per allocation over all allocation rounds, in microseconds.</summary>
    public double CpuMicrosecondsPerAllocation
    {
        get
        {
            int allocations = AllocationRounds.Sum(r => r.Allocate.Completed);
            return allocations == 0 ? double.NaN
                : AllocationRounds.Sum(r => r.AllocateServerCpu.TotalMicroseconds) / allocations;
        }
    }

    /// <summary>The allocation phase's first failed allocation or release, if any.</summary>
    public string? FirstAllocationProblem => AllocationRounds
        .SelectMany(r => new[] { r.Allocate.FirstProblem, r.Release.FirstProblem })
        .FirstOrDefault(p => p is not null);

    /// <summary>Closed-loop packets unanswered within the timeout, over the measured intervals.</summary>
    public long TimedOut => Rounds.Sum(r => r.Lost);

    /// <summary>Server CPU per relayed datagram over all closed-loop rounds, in microseconds.</summary>
    public double CpuMicrosecondsPerRelayed
    {
        get
        {
            long roundTrips = Rounds.Sum(r => r.RoundTrips);
            return roundTrips == 0 ? double.NaN : Rounds.Sum(r => r.ServerCpu.TotalMicroseconds) / (2.0 * roundTrips);
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

    /// <summary>Every fault seen, by description, over all runs (the warm-up round included), with the failed
    /// releases.</summary>
    public IReadOnlyDictionary<string, long> Faults()
    {
        var faults = new SortedDictionary<string, long>(StringComparer.Ordinal);
        IEnumerable<ClosedLoopResult> closed = WarmupRound is null ? Rounds : Rounds.Prepend(WarmupRound);
        IEnumerable<CounterSnapshot> snapshots = closed.Select(r => r.Totals);
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

        int releases = closed.Sum(r => r.Release.Failed) + (OpenLoop?.Release.Failed ?? 0);
        if (releases > 0)
        {
            faults["release (Refresh with LIFETIME 0) failed"] = releases;
        }

        int allocationPhaseAllocates = AllocationRounds.Sum(r => r.Allocate.Failed);
        if (allocationPhaseAllocates > 0)
        {
            faults["allocation phase: allocation failed"] = allocationPhaseAllocates;
        }

        int allocationPhaseReleases = AllocationRounds.Sum(r => r.Release.Failed);
        if (allocationPhaseReleases > 0)
        {
            faults["allocation phase: release (Refresh with LIFETIME 0) failed"] = allocationPhaseReleases;
        }

        return faults;
    }

    /// <summary>The first failed release's problem, if any.</summary>
    public string? FirstReleaseProblem => Rounds.Prepend(WarmupRound).Select(r => r?.Release.FirstProblem)
        .Append(OpenLoop?.Release.FirstProblem).FirstOrDefault(p => p is not null);
}
