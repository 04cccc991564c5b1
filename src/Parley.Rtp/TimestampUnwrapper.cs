namespace Parley.Rtp;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits, counting wraparounds, as <see cref="SequenceNumberUnwrapper"/> does
/// for sequence numbers. One per stream; not thread-safe.
/// </summary>
public sealed class TimestampUnwrapper
{
    private long _last;
    private bool _started;

    /// <summary>The last value returned, or null before the first.</summary>
    public long? Last => _started ? _last : null;

    public long Unwrap(uint timestamp)
    {
        _last = Peek(timestamp);
        _started = true;
        return _last;
    }

    /// <summary>What <see cref="Unwrap"/> would return, without moving.</summary>
    public long Peek(uint timestamp) => _started ? _last + RtpTimestamps.Difference(timestamp, (uint)_last) : timestamp;

    public void Reset()
    {
        _last = 0;
        _started = false;
    }
}
