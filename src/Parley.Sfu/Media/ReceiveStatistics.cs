using Parley.Rtp;
using Parley.Rtp.Rtcp;

namespace Parley.Sfu.Media;

/// <summary>
/// What the server received of one incoming RTP stream (a publisher's encoding), kept as RFC 3550 §A.3 and §A.8
/// describe: packets and bytes, the extended highest sequence number, packets lost (expected minus received, with
/// repaired ones counted as received), the interarrival jitter, and the last sender report, from which it writes
/// the report blocks of the server's receiver reports. Touched on the media port's receive loop; the counters are
/// read from other threads for statistics, where a value a packet old is fine.
/// </summary>
internal sealed class ReceiveStatistics(uint clockRate)
{
    private readonly SequenceNumberUnwrapper _sequence = new();
    private long _baseSequence = -1;
    private long _highestSequence = -1;
    private long _expectedAtLastReport;
    private long _receivedAtLastReport;
    private long _lastTransit;
    private bool _hasTransit;
    private double _jitter;
    private uint _lastSenderReport;
    private long _lastSenderReportAt = long.MinValue;

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Retransmissions received (RTX packets that restored a lost one).</summary>
    public long Retransmissions { get; private set; }

    /// <summary>Packets never received: expected (from the sequence numbers) minus received; never negative.</summary>
    public long PacketsLost => Math.Max(0, Expected - Packets);

    /// <summary>The share of the expected packets never received, 0 to 1.</summary>
    public double FractionLost => Expected <= 0 ? 0 : (double)PacketsLost / Expected;

    /// <summary>The interarrival jitter (RFC 3550 §6.4.1), in units of the stream's RTP clock.</summary>
    public uint Jitter => (uint)_jitter;

    public double JitterSeconds => clockRate == 0 ? 0 : _jitter / clockRate;

    /// <summary>NACKs and PLIs the server sent the publisher for this stream.</summary>
    public long NacksSent { get; set; }

    public long PlisSent { get; set; }

    private long Expected => _highestSequence < 0 ? 0 : _highestSequence - _baseSequence + 1;

    /// <summary>Counts one packet (after RTX unwrapping), arriving at <paramref name="arrivalTicks"/> (a
    /// <see cref="TimeProvider"/> timestamp of <paramref name="ticksPerSecond"/>).</summary>
    public void OnPacket(ReadOnlySpan<byte> plain, long arrivalTicks, long ticksPerSecond, bool retransmission)
    {
        ushort sequence = (ushort)((plain[2] << 8) | plain[3]);
        uint timestamp = (uint)((plain[4] << 24) | (plain[5] << 16) | (plain[6] << 8) | plain[7]);
        long extended = _sequence.Unwrap(sequence);
        if (_baseSequence < 0)
        {
            _baseSequence = extended;
        }

        _highestSequence = Math.Max(_highestSequence, extended);
        Packets++;
        Bytes += plain.Length;
        if (retransmission)
        {
            Retransmissions++;
            return; // a retransmission's arrival time says nothing about the path's jitter
        }

        // RFC 3550 §A.8: the transit time in RTP units; the jitter follows its change with a gain of 1/16.
        long arrival = (long)((UInt128)(ulong)arrivalTicks * clockRate / (ulong)ticksPerSecond);
        long transit = arrival - timestamp;
        if (_hasTransit)
        {
            long d = Math.Abs(transit - _lastTransit);
            if (d < clockRate * 10L)
            {
                _jitter += (d - _jitter) / 16;
            }
        }

        _lastTransit = transit;
        _hasTransit = true;
    }

    /// <summary>Notes a sender report of this stream: its compact NTP time, and when it came (ms).</summary>
    public void OnSenderReport(uint compactNtp, long now)
    {
        _lastSenderReport = compactNtp;
        _lastSenderReportAt = now;
    }

    /// <summary>The report block for <paramref name="ssrc"/> at <paramref name="now"/> (ms), with the loss since
    /// the previous one (RFC 3550 §A.3); false before any packet.</summary>
    public bool TryCreateReportBlock(uint ssrc, long now, out ReportBlock block)
    {
        block = default;
        if (_highestSequence < 0)
        {
            return false;
        }

        long expected = Expected;
        long expectedInterval = expected - _expectedAtLastReport;
        long receivedInterval = Packets - _receivedAtLastReport;
        _expectedAtLastReport = expected;
        _receivedAtLastReport = Packets;
        long lostInterval = expectedInterval - receivedInterval;
        byte fraction = expectedInterval <= 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        uint delay = _lastSenderReportAt == long.MinValue ? 0 : (uint)Math.Min(uint.MaxValue, (now - _lastSenderReportAt) * 65536 / 1000);
        block = new ReportBlock(
            ssrc,
            fraction,
            (int)Math.Clamp(expected - Packets, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost),
            (uint)_highestSequence,
            Jitter,
            _lastSenderReport,
            delay);
        return true;
    }
}
