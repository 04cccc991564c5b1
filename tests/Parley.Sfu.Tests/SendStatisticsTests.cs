using Parley.Rtp.Rtcp;
using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>What a subscriber's reports say of a stream the server sends it: loss, jitter and the round trip.</summary>
public sealed class SendStatisticsTests
{
    [Fact]
    public void The_round_trip_is_the_time_since_the_named_sender_report_less_the_subscribers_delay()
    {
        var statistics = new SendStatistics(90000);
        statistics.OnSenderReportSent(0xAABBCCDD, now: 1000);
        statistics.OnSenderReportSent(0x11111111, now: 2000);
        statistics.OnReportBlock(new ReportBlock(1, 64, 12, 5000, 900, 0xAABBCCDD, 6554), now: 1250); // DLSR 0.1 s

        Assert.NotNull(statistics.RoundTripSeconds);
        Assert.Equal(0.15, statistics.RoundTripSeconds!.Value, 3);
        Assert.Equal(0.25, statistics.FractionLost);
        Assert.Equal(12, statistics.PacketsLost);
        Assert.Equal(0.01, statistics.JitterSeconds, 6);
    }

    [Fact]
    public void A_report_on_an_unknown_or_no_sender_report_gives_no_round_trip()
    {
        var statistics = new SendStatistics(48000);
        statistics.OnSenderReportSent(0x22222222, now: 1000);
        statistics.OnReportBlock(new ReportBlock(1, 0, 0, 1, 0, LastSenderReport: 0, DelaySinceLastSenderReport: 0), now: 1100);
        statistics.OnReportBlock(new ReportBlock(1, 0, 0, 1, 0, LastSenderReport: 0x33333333, DelaySinceLastSenderReport: 0), now: 1100);
        Assert.Null(statistics.RoundTripSeconds);
    }

    [Fact]
    public void Only_the_last_few_sender_reports_are_remembered()
    {
        var statistics = new SendStatistics(90000);
        for (uint i = 1; i <= 5; i++)
        {
            statistics.OnSenderReportSent(i, now: i * 1000);
        }

        statistics.OnReportBlock(new ReportBlock(1, 0, 0, 1, 0, LastSenderReport: 1, DelaySinceLastSenderReport: 0), now: 6000);
        Assert.Null(statistics.RoundTripSeconds); // the first was forgotten
        statistics.OnReportBlock(new ReportBlock(1, 0, 0, 1, 0, LastSenderReport: 5, DelaySinceLastSenderReport: 0), now: 5020);
        Assert.Equal(0.02, statistics.RoundTripSeconds!.Value, 6);
    }

    [Fact]
    public void Packets_bytes_and_retransmissions_are_counted()
    {
        var statistics = new SendStatistics(90000);
        statistics.OnSent(1000, retransmission: false);
        statistics.OnSent(900, retransmission: true);

        Assert.Equal(2, statistics.Packets);
        Assert.Equal(1900, statistics.Bytes);
        Assert.Equal(1, statistics.Retransmissions);
    }
}
