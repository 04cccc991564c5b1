namespace Parley.Bench.Turn;

/// <summary>
/// How one <see cref="TransactionBurst"/> went: which sessions' operations succeeded, how many failed and the first
/// failure, the requests sent again for want of an answer, and the time from the first request to the last answer.
/// </summary>
internal sealed record TransactionBurstResult(
    IReadOnlyList<bool> Succeeded,
    int Failed,
    string? FirstProblem,
    long Retransmits,
    TimeSpan Elapsed)
{
    public static TransactionBurstResult Empty { get; } = new([], 0, null, 0, TimeSpan.Zero);

    /// <summary>Operations that succeeded, every answer checked.</summary>
    public int Completed => Succeeded.Count(s => s);

    /// <summary>Operations that succeeded per second of the burst; NaN when none did.</summary>
    public double PerSecond => Completed == 0 ? double.NaN : Completed / Elapsed.TotalSeconds;
}
