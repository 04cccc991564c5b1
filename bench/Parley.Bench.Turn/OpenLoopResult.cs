namespace Parley.Bench.Turn;

/// <summary>
/// The outcome of one open-loop run against one server. <see cref="Echoed"/> counts the packets the echo peer got
/// from the relay and sent back: between <see cref="Sent"/> and <see cref="Answered"/>, it tells on which leg a
/// loss happened. <see cref="Skipped"/> counts the packets the load threads did not send because they had fallen
/// behind the schedule by more than a short burst (descheduled).
/// </summary>
internal sealed record OpenLoopResult(
    double TargetPerSecond,
    CounterSnapshot Totals,
    long Skipped,
    long Echoed,
    LatencyHistogram Latency,
    KernelDrops Drops,
    TimeSpan ServerCpu,
    TimeSpan Sending,
    long AllocatedBytes,
    TimeSpan SetupTime,
    ReleaseOutcome Release)
{
    public long Sent => Totals.Sent;

    public long Answered => Totals.Answered;

    public double SentPerSecond => Sent / Sending.TotalSeconds;

    /// <summary>Packets sent and never correctly echoed (within the grace period), as a percentage of those sent.</summary>
    public double LossPercent => Sent == 0 ? double.NaN : 100.0 * (Sent - Answered) / Sent;

    /// <summary>Server CPU use while sending, in cores.</summary>
    public double ServerCores => ServerCpu / Sending;

    /// <summary>Server CPU per relayed datagram while sending (two per round trip), in microseconds.</summary>
    public double ServerCpuMicrosecondsPerRelayed => Answered == 0 ? double.NaN : ServerCpu.TotalMicroseconds / (2.0 * Answered);

    public long Errors => Totals.Errors + Release.Failed;
}
