namespace Parley.Bench.Sfu;

/// <summary>
/// One measured interval, by send time: packets whose send time (in their marker) falls in [From, Until) count,
/// however late they arrive. Each publisher's sent count and each subscriber's received count is written only by the
/// load thread that owns the peer; each thread has its own latency histogram. Read once the threads are past
/// <see cref="Until"/> plus a grace period.
/// </summary>
internal sealed class MeasurementWindow(long from, long until, int publishers, int subscribers, int threads)
{
    public long From { get; } = from;

    public long Until { get; } = until;

    public long[] SentByPublisher { get; } = new long[publishers];

    public long[] ReceivedBySubscriber { get; } = new long[subscribers];

    public LatencyHistogram[] Latency { get; } = [.. Enumerable.Range(0, threads).Select(_ => new LatencyHistogram())];

    public bool Contains(long sendTicks) => sendTicks >= From && sendTicks < Until;
}
