namespace Parley.Bench.Turn;

/// <summary>
/// One round of the allocation phase against one server: the allocations (each an Allocate, its 401 and the
/// authenticated Allocate), the server's resident memory before them, with them all held, and after their release
/// (Refresh with LIFETIME 0), and the server's CPU for each half.
/// </summary>
internal sealed record AllocationRound(
    int Count,
    TransactionBurstResult Allocate,
    TransactionBurstResult Release,
    long? ResidentBeforeBytes,
    long? ResidentHeldBytes,
    long? ResidentAfterReleaseBytes,
    TimeSpan AllocateServerCpu,
    TimeSpan ReleaseServerCpu,
    TimeSpan AllocateLoadGeneratorCpu)
{
    /// <summary>Authenticated Allocates that succeeded per second.</summary>
    public double AllocationsPerSecond => Allocate.PerSecond;

    /// <summary>Releases that succeeded per second.</summary>
    public double ReleasesPerSecond => Release.PerSecond;

    /// <summary>
    /// The server's RSS with every allocation held, less its RSS just before the round, per allocation held; null
    /// when none was, or the process could not be read.
    /// </summary>
    public double? MemoryPerAllocationBytes =>
        Allocate.Completed > 0 && ResidentHeldBytes is { } held && ResidentBeforeBytes is { } before
            ? (double)(held - before) / Allocate.Completed
            : null;

    /// <summary>Server CPU per successful allocation (two transactions), in microseconds.</summary>
    public double ServerCpuMicrosecondsPerAllocation =>
        Allocate.Completed == 0 ? double.NaN : AllocateServerCpu.TotalMicroseconds / Allocate.Completed;

    /// <summary>This process's CPU per successful allocation, in microseconds: the clients' side of the bargain.</summary>
    public double LoadGeneratorMicrosecondsPerAllocation =>
        Allocate.Completed == 0 ? double.NaN : AllocateLoadGeneratorCpu.TotalMicroseconds / Allocate.Completed;

    /// <summary>Server CPU per successful release, in microseconds.</summary>
    public double ServerCpuMicrosecondsPerRelease =>
        Release.Completed == 0 ? double.NaN : ReleaseServerCpu.TotalMicroseconds / Release.Completed;

    /// <summary>Allocations and releases that failed: errors of the run.</summary>
    public int Errors => Allocate.Failed + Release.Failed;
}
