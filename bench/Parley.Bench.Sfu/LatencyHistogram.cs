using System.Diagnostics;

namespace Parley.Bench.Sfu;

/// <summary>Latencies in 10 µs buckets up to 1 s (longer ones in the last), for percentiles; merged over threads.</summary>
internal sealed class LatencyHistogram
{
    private const double BucketSeconds = 10e-6;
    private const int Buckets = 100_000;
    private static readonly double TicksPerBucket = BucketSeconds * Stopwatch.Frequency;

    private readonly long[] _counts = new long[Buckets];

    public long Count { get; private set; }

    public void Add(long ticks)
    {
        long bucket = (long)(Math.Max(0, ticks) / TicksPerBucket);
        _counts[Math.Min(bucket, Buckets - 1)]++;
        Count++;
    }

    public void Merge(LatencyHistogram other)
    {
        for (int i = 0; i < Buckets; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>The latency at quantile <paramref name="q"/> in seconds (the bucket's upper edge), NaN when empty.</summary>
    public double Quantile(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        long rank = (long)Math.Ceiling(q * Count);
        long seen = 0;
        for (int i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return (i + 1) * BucketSeconds;
            }
        }

        return Buckets * BucketSeconds;
    }
}
