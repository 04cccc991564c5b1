namespace Parley.Bench.Turn;

/// <summary>How the release of a run's allocations went: how many Refresh requests failed, and the first problem.</summary>
internal sealed record ReleaseOutcome(int Failed, string? FirstProblem)
{
    public static ReleaseOutcome Clean { get; } = new(0, null);
}
