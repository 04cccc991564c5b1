namespace Parley.Rtp;

/// <summary>
/// Extends 16-bit sequence numbers to 64 bits, counting wraparounds (RFC 3550 §A.1's extended highest sequence
/// number, without the 32-bit limit). Each value is placed within half the space of the previous one, so reordered
/// and repeated packets unwrap to the number they had; the first value unwraps to itself. One per stream; not
/// thread-safe.
/// </summary>
public sealed class SequenceNumberUnwrapper
{
    private long _last;
    private bool _started;

    /// <summary>The last value returned, or null before the first.</summary>
    public long? Last => _started ? _last : null;

    public long Unwrap(ushort sequenceNumber)
    {
        _last = Peek(sequenceNumber);
        _started = true;
        return _last;
    }

    /// <summary>What <see cref="Unwrap"/> would return, without moving.</summary>
    public long Peek(ushort sequenceNumber) =>
        _started ? _last + SequenceNumbers.Difference(sequenceNumber, (ushort)_last) : sequenceNumber;

    public void Reset()
    {
        _last = 0;
        _started = false;
    }
}
