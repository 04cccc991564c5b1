namespace Parley.Sfu.Media;

/// <summary>Bits per second over the last complete window of at least a second: cheap enough to count every packet
/// on the receive loop (two additions), steady enough to compare with a bandwidth estimate.</summary>
internal sealed class BitrateMeter
{
    private const long Window = 1000;

    private long _windowStart = long.MinValue;
    private long _windowBytes;
    private long _lastCountAt = long.MinValue;

    /// <summary>What was counted over the last complete window, in bits per second; 0 until measured.</summary>
    public long Bitrate { get; private set; }

    /// <summary>The bitrate, or 0 when nothing was counted for a whole window (the stream stopped).</summary>
    public long BitrateAt(long now) => _lastCountAt != long.MinValue && now - _lastCountAt <= Window ? Bitrate : 0;

    /// <summary>Counts a packet of <paramref name="bytes"/> at <paramref name="now"/> (ms).</summary>
    public void Count(int bytes, long now)
    {
        if (_windowStart == long.MinValue)
        {
            _windowStart = now;
        }

        _lastCountAt = now;
        _windowBytes += bytes;
        long elapsed = now - _windowStart;
        if (elapsed >= Window)
        {
            Bitrate = _windowBytes * 8 * 1000 / elapsed;
            _windowStart = now;
            _windowBytes = 0;
        }
    }
}
