using Parley.Rtp.Rtcp;

namespace Parley.Sfu.Media;

/// <summary>
/// What the server sent a subscriber on one outgoing stream (a consumer) and what the subscriber said of it: its
/// NACKs, PLIs and FIRs, and its receiver reports' loss and jitter. The round-trip time comes from those reports
/// as RFC 3550 §6.4.1 describes: a report block's LSR names a sender report the server forwarded, whose sending
/// time the server remembers; now minus that time minus DLSR is the round trip. Updated on the media port's receive
/// loop (and on signalling threads for sends); read elsewhere for statistics.
/// </summary>
internal sealed class SendStatistics(uint clockRate)
{
    /// <summary>Sender reports remembered for the round trip; browsers report on the latest, one a second or so.</summary>
    private const int RememberedReports = 4;

    private readonly (uint CompactNtp, long SentAt)[] _reports = new (uint, long)[RememberedReports];
    private int _nextReport;

    public long Packets { get; private set; }

    public long Bytes { get; private set; }

    public long Retransmissions { get; private set; }

    public long NacksReceived { get; set; }

    public long PlisReceived { get; set; }

    public long FirsReceived { get; set; }

    /// <summary>The subscriber's last reported loss fraction (0 to 1), cumulative loss and jitter (seconds).</summary>
    public double FractionLost { get; private set; }

    public long PacketsLost { get; private set; }

    public double JitterSeconds { get; private set; }

    /// <summary>The last measured round trip in seconds; null until one was.</summary>
    public double? RoundTripSeconds { get; private set; }

    public void OnSent(int bytes, bool retransmission)
    {
        Packets++;
        Bytes += bytes;
        if (retransmission)
        {
            Retransmissions++;
        }
    }

    /// <summary>A sender report forwarded under this consumer's SSRC at <paramref name="now"/> (ms).</summary>
    public void OnSenderReportSent(uint compactNtp, long now)
    {
        lock (_reports)
        {
            _reports[_nextReport] = (compactNtp, now);
            _nextReport = (_nextReport + 1) % RememberedReports;
        }
    }

    /// <summary>The subscriber's report block on this stream, received at <paramref name="now"/> (ms).</summary>
    public void OnReportBlock(in ReportBlock block, long now)
    {
        FractionLost = block.FractionLost / 256.0;
        PacketsLost = block.CumulativeLost;
        JitterSeconds = clockRate == 0 ? 0 : (double)block.Jitter / clockRate;
        if (block.LastSenderReport == 0)
        {
            return;
        }

        lock (_reports)
        {
            foreach ((uint compactNtp, long sentAt) in _reports)
            {
                if (compactNtp == block.LastSenderReport)
                {
                    double roundTrip = ((now - sentAt) / 1000.0) - (block.DelaySinceLastSenderReport / 65536.0);
                    RoundTripSeconds = Math.Max(0, roundTrip);
                    return;
                }
            }
        }
    }
}
