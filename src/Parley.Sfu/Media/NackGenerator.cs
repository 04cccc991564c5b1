using Parley.Rtp;

namespace Parley.Sfu.Media;

/// <summary>
/// The server's side of a publisher's losses (RFC 4585 §6.2.1, as mediasoup's NackGenerator): sequence gaps in a
/// video layer become NACKs to the publisher, re-sent every <see cref="RetryInterval"/> up to <see cref="MaxTries"/>
/// times and given up after <see cref="MaxAge"/>; what the publisher retransmits (RTX) fills the gap for every
/// subscriber at once. Runs on the media port's receive loop.
/// </summary>
internal sealed class NackGenerator
{
    public const int MaxTries = 8;
    public const long RetryInterval = 60;
    public const long MaxAge = 1000;
    private const int MaxMissing = 512;

    private readonly SequenceNumberUnwrapper _unwrapper = new();
    private readonly Dictionary<long, (long FirstMissed, long LastSent, int Tries)> _missing = [];
    private readonly List<long> _expired = [];
    private long _highest = -1;

    public int Missing => _missing.Count;

    /// <summary>A packet arrived (first time or retransmitted); returns whether it is new: not one that already
    /// arrived (or was given up on). Browsers pad their bandwidth probes with RTX copies of packets already sent
    /// ("redundant payloads"); those are not forwarded again.</summary>
    public bool OnPacket(ushort sequenceNumber, long now)
    {
        long unwrapped = _unwrapper.Unwrap(sequenceNumber);
        if (_highest < 0)
        {
            _highest = unwrapped;
            return true;
        }

        if (unwrapped <= _highest)
        {
            return _missing.Remove(unwrapped);
        }

        if (unwrapped - _highest > MaxMissing)
        {
            _missing.Clear(); // a jump too far to repair: a key frame will be asked for by the subscribers
        }
        else
        {
            for (long lost = _highest + 1; lost < unwrapped; lost++)
            {
                _missing[lost] = (now, long.MinValue / 2, 0);
            }
        }

        _highest = unwrapped;
        return true;
    }

    /// <summary>Writes the sequence numbers to NACK now into <paramref name="due"/>; returns how many.</summary>
    public int Collect(long now, Span<ushort> due)
    {
        int count = 0;
        _expired.Clear();
        foreach ((long sequence, (long firstMissed, long lastSent, int tries)) in _missing)
        {
            if (tries >= MaxTries || now - firstMissed > MaxAge)
            {
                _expired.Add(sequence);
            }
            else if (now - lastSent >= RetryInterval && count < due.Length)
            {
                due[count++] = (ushort)sequence;
                _missing[sequence] = (firstMissed, now, tries + 1);
            }
        }

        foreach (long sequence in _expired)
        {
            _missing.Remove(sequence);
        }

        due[..count].Sort(static (a, b) => SequenceNumbers.Difference(a, b));
        return count;
    }
}
