using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>What the run was, for the report's header and the JSON.</summary>
internal sealed record RunInfo(
    LoadSettings Load,
    int Rounds,
    AllocationSettings Allocations,
    double? OpenLoopRate,
    string OpenLoopRateSource,
    IReadOnlyList<MachineLoad> MachineLoad,
    string CoturnVersion,
    string ParleyRevision,
    DateTimeOffset Started);
