using System.Diagnostics;

namespace Parley.Turn;

/// <summary>A token bucket of bytes (coturn's max-bps): refilled at the rate, holding at most one second's worth.</summary>
internal sealed class BandwidthLimiter(long bytesPerSecond)
{
    private readonly Lock _gate = new();
    private double _tokens = bytesPerSecond;
    private long _refilled = Stopwatch.GetTimestamp();

    public bool TryConsume(int bytes)
    {
        lock (_gate)
        {
            long now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(bytesPerSecond, _tokens + (bytesPerSecond * (double)(now - _refilled) / Stopwatch.Frequency));
            _refilled = now;
            if (_tokens < bytes)
            {
                return false;
            }

            _tokens -= bytes;
            return true;
        }
    }
}
