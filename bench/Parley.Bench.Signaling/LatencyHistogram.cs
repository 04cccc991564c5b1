using System.Numerics;

namespace Parley.Bench.Signaling;

/// <summary>
/// Latencies in microseconds, counted in buckets about 0.8% wide (exact below 256 µs): recording is an index
/// computation and an increment, with no allocation. Not thread-safe: each receive loop keeps its own, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 256;
    private const int SubBuckets = 128;
    private const int Octaves = 56;

    private readonly long[] _counts = new long[Linear + Octaves * SubBuckets];

    public long Count { get; private set; }

    public long MaxMicroseconds { get; private set; }

    public void Record(long microseconds)
    {
        long value = Math.Max(0, microseconds);
        _counts[IndexOf(value)]++;
        Count++;
        if (value > MaxMicroseconds)
        {
            MaxMicroseconds = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        MaxMicroseconds = Math.Max(MaxMicroseconds, other.MaxMicroseconds);
    }

    /// <summary>The value at <paramref name="percentile"/> (0–100), in microseconds: the middle of its bucket; NaN
    /// when nothing was recorded.</summary>
    public double Percentile(double percentile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Middle(i), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    private static int IndexOf(long value)
    {
        if (value < Linear)
        {
            return (int)value;
        }

        int top = 63 - BitOperations.LeadingZeroCount((ulong)value); // >= 8
        int shift = top - 7;
        return Linear + (top - 8) * SubBuckets + (int)((value >> shift) - SubBuckets);
    }

    private static double Middle(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        int octave = (index - Linear) / SubBuckets;
        int shift = octave + 1;
        long low = (long)(index - Linear - octave * SubBuckets + SubBuckets) << shift;
        return low + ((1L << shift) - 1) / 2.0;
    }
}
