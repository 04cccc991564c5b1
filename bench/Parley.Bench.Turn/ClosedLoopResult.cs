namespace Parley.Bench.Turn;

/// <summary>The outcome of one closed-loop round against one server.</summary>
internal sealed record ClosedLoopResult(
    long RoundTrips,
    long Lost,
    CounterSnapshot Totals,
    TimeSpan Measured,
    TimeSpan ServerCpu,
    TimeSpan LoadGeneratorCpu,
    IReadOnlyList<double> BusiestThreadCores,
    LatencyHistogram Latency,
    long AllocatedBytes,
    TimeSpan SetupTime,
    ReleaseOutcome Release)
{
    /// <summary>Payloads that went client → server → peer → server → client and came back intact, per second of
    /// the measured interval.</summary>
    public double RoundTripsPerSecond => RoundTrips / Measured.TotalSeconds;

    /// <summary>
    /// Server CPU per relayed datagram during the measured interval, in microseconds: each round trip is two
    /// datagrams relayed (client to peer, and back).
    /// </summary>
    public double ServerCpuMicrosecondsPerRelayed => RoundTrips == 0 ? double.NaN : ServerCpu.TotalMicroseconds / (2.0 * RoundTrips);

    /// <summary>Server CPU use during the measured interval, in cores.</summary>
    public double ServerCores => ServerCpu / Measured;

    /// <summary>This process's CPU use (clients and echo peer) during the measured interval, in cores.</summary>
    public double LoadGeneratorCores => LoadGeneratorCpu / Measured;

    /// <summary>This process's CPU per round trip during the measured interval, in microseconds.</summary>
    public double LoadGeneratorMicrosecondsPerRoundTrip => RoundTrips == 0 ? double.NaN : LoadGeneratorCpu.TotalMicroseconds / RoundTrips;

    /// <summary>Wrong datagrams, failed sends and failed releases over the whole round.</summary>
    public long Errors => Totals.Errors + Release.Failed;

    /// <summary>Bytes the load threads allocated per round trip over the whole round (0.00 when the packet path
    /// allocates nothing).</summary>
    public double AllocatedBytesPerRoundTrip => Totals.Answered == 0 ? double.NaN : (double)AllocatedBytes / Totals.Answered;
}
