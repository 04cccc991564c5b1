namespace Parley.Bench.Sfu;

/// <summary>Everything measured on one server.</summary>
internal sealed class ServerResult(string name)
{
    public string Name { get; } = name;

    public long? RssIdle { get; set; }

    public long? RssWithPublishers { get; set; }

    public long? RssWithSubscribers { get; set; }

    public long? PeakRss { get; set; }

    public int FixedSubscribers { get; set; }

    public List<WindowResult> Rounds { get; } = [];

    public List<WindowResult> Ramp { get; } = [];

    /// <summary>The most subscribers a ramp step held with at most 1 % loss; null without a ramp.</summary>
    public int? Held { get; set; }

    public string? RampEnd { get; set; }

    /// <summary>The ramp ended because the load generator fell behind, not because the server lost packets.</summary>
    public bool HeldIsLowerBound { get; set; }

    public double PublisherSetupSeconds { get; set; }

    public double SubscriberSetupSeconds { get; set; }

    public string? SrtpProfile { get; set; }

    public long AuthenticationFailures { get; set; }

    public long Unmarked { get; set; }

    public long Duplicates { get; set; }

    public long SkippedFrames { get; set; }

    public long SendFailures { get; set; }

    public long KeyFrameRequests { get; set; }

    public double GeneratorBytesPerPacket { get; set; }

    public string? Error { get; set; }

    /// <summary>Memory per subscriber: the RSS the fixed load's subscribers added, divided by their number.</summary>
    public double? MemoryPerSubscriber => RssWithSubscribers is { } after && RssWithPublishers is { } before && FixedSubscribers > 0
        ? (double)(after - before) / FixedSubscribers
        : null;

    public WindowResult? Median => Rounds.Count == 0 ? null : Rounds.OrderBy(r => r.ForwardedPerCpuSecond).ElementAt(Rounds.Count / 2);
}
