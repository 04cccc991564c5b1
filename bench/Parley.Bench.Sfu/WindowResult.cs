using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>One measured interval of one server: what was sent and forwarded, the server's CPU, latency.</summary>
internal sealed record WindowResult(
    int Subscribers,
    double Seconds,
    long Sent,
    long Expected,
    long Received,
    int SilentSubscribers,
    double ServerCpuSeconds,
    double GeneratorCpuSeconds,
    double P50,
    double P99,
    double P999,
    MachineLoad Load,
    long? ServerAllocatedBytes,
    double NominalSent,
    long GeneratorDrops,
    long ServerDrops)
{
    /// <summary>Below this share of the nominal rate sent, the load generator fell behind (the machine is short of
    /// CPU) and the step does not say what the server holds.</summary>
    public const double GeneratorKeptUp = 0.97;

    /// <summary>What the publishers sent over what they should have at their bitrate: 1 when the generator kept up.</summary>
    public double LoadAchieved => NominalSent > 0 ? Sent / NominalSent : double.NaN;

    /// <summary>The server's managed allocations per forwarded packet (all of its allocations, whatever for).</summary>
    public double? ServerBytesPerPacket => ServerAllocatedBytes is { } bytes && Received > 0 ? (double)bytes / Received : null;

    /// <summary>Share of the expected packets (sent in the window times the publisher's subscribers) not received.</summary>
    public double Loss => Expected > 0 ? Math.Max(0, 1 - (double)Received / Expected) : double.NaN;

    public double ForwardedPerSecond => Received / Seconds;

    public double ForwardedPerCpuSecond => ServerCpuSeconds > 0 ? Received / ServerCpuSeconds : double.NaN;

    public double ServerCores => ServerCpuSeconds / Seconds;
}
