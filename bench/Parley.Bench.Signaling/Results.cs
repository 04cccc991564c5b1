using Parley.Bench.Common;

namespace Parley.Bench.Signaling;

/// <summary>One measured round against one server.</summary>
internal sealed record RoundResult
{
    public required int Round { get; init; }

    /// <summary>How long the N clients took to connect and join, one after the other.</summary>
    public required TimeSpan JoinTime { get; init; }

    /// <summary>The measured interval (between the two snapshots).</summary>
    public required TimeSpan Measured { get; init; }

    /// <summary>sendMessage requests answered with a result during the interval.</summary>
    public required long Signals { get; init; }

    /// <summary>Chat signals received by all the clients together during the interval.</summary>
    public required long Deliveries { get; init; }

    public required double P50Microseconds { get; init; }

    public required double P90Microseconds { get; init; }

    public required double P99Microseconds { get; init; }

    public required double MaxMicroseconds { get; init; }

    /// <summary>The measured server's CPU time (user + system) during the interval.</summary>
    public required TimeSpan ServerCpu { get; init; }

    /// <summary>This process's CPU time (the load generator) during the interval.</summary>
    public required TimeSpan ClientCpu { get; init; }

    /// <summary>Bytes this process (the load generator) allocated during the interval.</summary>
    public required long ClientAllocatedBytes { get; init; }

    /// <summary>Signals sent over the whole round, warm-up and drain included, and deliveries expected/received.</summary>
    public required long SignalsSent { get; init; }

    public required long DeliveriesExpected { get; init; }

    public required long DeliveriesReceived { get; init; }

    public required long LatePongs { get; init; }

    public required long OtherNotifications { get; init; }

    /// <summary>Missing, repeated or misordered signals, failed requests, malformed frames, closed sockets.</summary>
    public required long Errors { get; init; }

    public required IReadOnlyList<string> ErrorSamples { get; init; }

    public required long? ResidentJoinedBytes { get; init; }

    public required long? ResidentAfterBytes { get; init; }

    /// <summary>In paced mode, the signals per second asked of all senders together; null for the closed loop.</summary>
    public double? TargetSignalsPerSecond { get; init; }

    public double SignalsPerSecond => Signals / Measured.TotalSeconds;

    public double DeliveriesPerSecond => Deliveries / Measured.TotalSeconds;

    public double ServerCores => ServerCpu / Measured;

    public double ClientCores => ClientCpu / Measured;

    public double ClientBytesPerDelivery => Deliveries == 0 ? double.NaN : (double)ClientAllocatedBytes / Deliveries;

    public double ServerCpuMicrosecondsPerDelivery => Deliveries == 0 ? double.NaN : ServerCpu.TotalMicroseconds / Deliveries;
}

/// <summary>Everything measured about one server.</summary>
internal sealed class ServerResult(string name, string command)
{
    public string Name { get; } = name;

    /// <summary>How the server was run, for the record.</summary>
    public string Command { get; } = command;

    public List<RoundResult> Rounds { get; } = [];

    public TimeSpan StartupTime { get; set; }

    public long? ResidentIdleBytes { get; set; }

    public long? PeakResidentBytes { get; set; }

    public int? Threads { get; set; }

    /// <summary>CPU the server used while the other server was measured, and for how long that was.</summary>
    public IdleCpu IdleCpu { get; } = new();

    public double MedianSignalsPerSecond => Statistics.Median(Rounds.Select(r => r.SignalsPerSecond));

    public double MedianDeliveriesPerSecond => Statistics.Median(Rounds.Select(r => r.DeliveriesPerSecond));

    public double MedianP50 => Statistics.Median(Rounds.Select(r => r.P50Microseconds));

    public double MedianP99 => Statistics.Median(Rounds.Select(r => r.P99Microseconds));

    /// <summary>RSS after the last round's load, its clients still connected.</summary>
    public long? ResidentAfterBytes => Rounds.Count == 0 ? null : Rounds[^1].ResidentAfterBytes;

    public long Errors => Rounds.Sum(r => r.Errors);

    /// <summary>Server CPU per delivery over all rounds, in microseconds.</summary>
    public double CpuMicrosecondsPerDelivery
    {
        get
        {
            long deliveries = Rounds.Sum(r => r.Deliveries);
            return deliveries == 0 ? double.NaN : Rounds.Sum(r => r.ServerCpu.TotalMicroseconds) / deliveries;
        }
    }

    /// <summary>Server and client CPU use over all rounds, in cores.</summary>
    public double ServerCores => Cores(Rounds.Sum(r => r.ServerCpu.TotalSeconds));

    public double ClientCores => Cores(Rounds.Sum(r => r.ClientCpu.TotalSeconds));

    private double Cores(double cpuSeconds)
    {
        double seconds = Rounds.Sum(r => r.Measured.TotalSeconds);
        return seconds == 0 ? double.NaN : cpuSeconds / seconds;
    }
}
