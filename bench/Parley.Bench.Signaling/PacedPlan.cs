namespace Parley.Bench.Signaling;

/// <summary>
/// What paced mode asks: the base rate per sender, the multipliers of it to run (just 1 for a plain paced run, the
/// rising steps for --headroom), and the p99 latency goal. A round holds the goal when every signal arrived in order,
/// the senders reached at least 95 % of the rate asked (a server that falls behind slows them through the window),
/// and its p99 is under the goal.
/// </summary>
internal sealed record PacedPlan(double BaseRate, IReadOnlyList<double> Steps, TimeSpan Goal, bool Headroom)
{
    public const double RateTolerance = 0.95;

    public bool Holds(RoundResult round) =>
        round.Errors == 0
        && round.P99Microseconds < Goal.TotalMicroseconds
        && round.TargetSignalsPerSecond is { } target && round.SignalsPerSecond >= RateTolerance * target;

    /// <summary>The largest step at which <paramref name="server"/> held the goal, every smaller step holding too
    /// (its rounds are the steps, in order), as an index into <see cref="Steps"/>; null when the first failed.</summary>
    public int? LargestHeld(ServerResult server)
    {
        int? largest = null;
        for (int i = 0; i < server.Rounds.Count && i < Steps.Count; i++)
        {
            if (!Holds(server.Rounds[i]))
            {
                break;
            }

            largest = i;
        }

        return largest;
    }
}
