using System.Diagnostics;
using System.Numerics;

namespace Parley.Bench.Turn;

/// <summary>
/// Round-trip times in nanoseconds, in log-linear buckets: exact below 128 ns, then 64 buckets per power of two
/// (at most 1.6% wide), from which percentiles are read. Recording allocates nothing; one thread records into an
/// instance, and instances are merged once the threads are done.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int BucketCount = (64 - SubBucketBits + 1) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    public long MaxNanoseconds { get; private set; }

    /// <summary>Records the time from <paramref name="sentTimestamp"/> to <paramref name="receivedTimestamp"/>
    /// (<see cref="Stopwatch"/> ticks).</summary>
    public void RecordTicks(long sentTimestamp, long receivedTimestamp)
    {
        long ticks = Math.Max(0, receivedTimestamp - sentTimestamp);
        long nanoseconds = Stopwatch.Frequency == 1_000_000_000 ? ticks : (long)(ticks * (1e9 / Stopwatch.Frequency));
        _counts[IndexOf(nanoseconds)]++;
        Count++;
        if (nanoseconds > MaxNanoseconds)
        {
            MaxNanoseconds = nanoseconds;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxNanoseconds = Math.Max(MaxNanoseconds, other.MaxNanoseconds);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0.5 for the median), in microseconds; NaN when empty.</summary>
    public double PercentileMicroseconds(double q)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(MiddleOf(i), MaxNanoseconds) / 1000.0;
            }
        }

        return MaxNanoseconds / 1000.0;
    }

    /// <summary>Values under 128 have a bucket each; above, the top 7 significant bits pick it.</summary>
    private static int IndexOf(long value)
    {
        if (value < 2 * SubBuckets)
        {
            return (int)value;
        }

        int shift = (63 - BitOperations.LeadingZeroCount((ulong)value)) - SubBucketBits;
        return (shift * SubBuckets) + (int)(value >> shift);
    }

    private static double MiddleOf(int index)
    {
        if (index < 2 * SubBuckets)
        {
            return index;
        }

        int shift = (index / SubBuckets) - 1;
        long low = (long)(index - (shift * SubBuckets)) << shift;
        return low + ((1L << shift) / 2.0);
    }
}
