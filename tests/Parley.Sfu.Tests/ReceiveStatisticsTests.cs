using Parley.Rtp.Rtcp;
using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>RFC 3550 reception statistics of a publisher's stream: loss, wraparound, repairs, jitter, report blocks.</summary>
public sealed class ReceiveStatisticsTests
{
    private const long TicksPerSecond = 1000; // arrival times below are in ms

    private static byte[] Packet(ushort sequence, uint timestamp = 0)
    {
        byte[] packet = new byte[20];
        packet[0] = 0x80;
        packet[1] = 96;
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        packet[4] = (byte)(timestamp >> 24);
        packet[5] = (byte)(timestamp >> 16);
        packet[6] = (byte)(timestamp >> 8);
        packet[7] = (byte)timestamp;
        return packet;
    }

    [Fact]
    public void A_gap_in_sequence_numbers_is_a_lost_packet_and_goes_into_the_report_block()
    {
        var statistics = new ReceiveStatistics(90000);
        foreach (ushort sequence in (ushort[])[100, 101, 103, 104])
        {
            statistics.OnPacket(Packet(sequence), 0, TicksPerSecond, retransmission: false);
        }

        Assert.Equal(4, statistics.Packets);
        Assert.Equal(80, statistics.Bytes);
        Assert.Equal(1, statistics.PacketsLost);
        Assert.Equal(0.2, statistics.FractionLost, 3);
        Assert.True(statistics.TryCreateReportBlock(0x1234, 0, out ReportBlock block));
        Assert.Equal(0x1234u, block.Ssrc);
        Assert.Equal(1 * 256 / 5, block.FractionLost);
        Assert.Equal(1, block.CumulativeLost);
        Assert.Equal(104u, block.HighestSequenceNumber);
    }

    [Fact]
    public void The_fraction_lost_covers_only_the_interval_since_the_last_report()
    {
        var statistics = new ReceiveStatistics(90000);
        foreach (ushort sequence in (ushort[])[1, 3])
        {
            statistics.OnPacket(Packet(sequence), 0, TicksPerSecond, retransmission: false);
        }

        Assert.True(statistics.TryCreateReportBlock(1, 0, out ReportBlock first));
        Assert.Equal(256 / 3, first.FractionLost);
        foreach (ushort sequence in (ushort[])[4, 5, 6])
        {
            statistics.OnPacket(Packet(sequence), 0, TicksPerSecond, retransmission: false);
        }

        Assert.True(statistics.TryCreateReportBlock(1, 0, out ReportBlock second));
        Assert.Equal(0, second.FractionLost);
        Assert.Equal(1, second.CumulativeLost);
    }

    [Fact]
    public void Sequence_numbers_wrap_into_the_extended_highest_and_a_retransmission_repairs_a_loss()
    {
        var statistics = new ReceiveStatistics(90000);
        foreach (ushort sequence in (ushort[])[65534, 65535, 1])
        {
            statistics.OnPacket(Packet(sequence), 0, TicksPerSecond, retransmission: false);
        }

        Assert.Equal(1, statistics.PacketsLost); // 0 is missing
        statistics.OnPacket(Packet(0), 0, TicksPerSecond, retransmission: true);
        Assert.Equal(0, statistics.PacketsLost);
        Assert.Equal(1, statistics.Retransmissions);
        Assert.True(statistics.TryCreateReportBlock(1, 0, out ReportBlock block));
        Assert.Equal(0x10001u, block.HighestSequenceNumber); // one cycle, then 1
    }

    [Fact]
    public void Steady_transit_has_no_jitter_and_alternating_delay_converges_to_it()
    {
        var steady = new ReceiveStatistics(90000);
        var alternating = new ReceiveStatistics(90000);
        for (int i = 0; i < 400; i++)
        {
            uint timestamp = (uint)(i * 900); // a packet every 10 ms
            steady.OnPacket(Packet((ushort)i, timestamp), (i * 10) + 5, TicksPerSecond, retransmission: false);
            alternating.OnPacket(Packet((ushort)i, timestamp), (i * 10) + (i % 2 == 0 ? 0 : 2), TicksPerSecond, retransmission: false);
        }

        Assert.Equal(0, steady.JitterSeconds);
        Assert.InRange(alternating.JitterSeconds, 0.0019, 0.0020); // |D| is always 2 ms
        Assert.Equal(alternating.Jitter, (uint)(alternating.JitterSeconds * 90000));
    }

    [Fact]
    public void The_report_block_carries_the_last_sender_report_and_the_delay_since_it()
    {
        var statistics = new ReceiveStatistics(48000);
        Assert.False(statistics.TryCreateReportBlock(1, 0, out _)); // nothing heard yet
        statistics.OnPacket(Packet(7), 0, TicksPerSecond, retransmission: false);
        Assert.True(statistics.TryCreateReportBlock(1, 0, out ReportBlock before));
        Assert.Equal(0u, before.LastSenderReport);
        Assert.Equal(0u, before.DelaySinceLastSenderReport);

        statistics.OnSenderReport(0x12345678, now: 1000);
        Assert.True(statistics.TryCreateReportBlock(1, 1500, out ReportBlock after));
        Assert.Equal(0x12345678u, after.LastSenderReport);
        Assert.Equal(32768u, after.DelaySinceLastSenderReport); // 0.5 s in 1/65536 s
    }

    [Fact]
    public void Random_packets_never_make_negative_or_impossible_figures()
    {
        var random = new Random(7);
        var statistics = new ReceiveStatistics(90000);
        for (int i = 0; i < 20_000; i++)
        {
            statistics.OnPacket(Packet((ushort)random.Next(65536), (uint)random.NextInt64(uint.MaxValue)), random.Next(), TicksPerSecond, random.Next(10) == 0);
            if (i % 100 == 0)
            {
                Assert.True(statistics.TryCreateReportBlock(1, i, out ReportBlock block));
                Assert.InRange(block.CumulativeLost, ReportBlock.MinCumulativeLost, ReportBlock.MaxCumulativeLost);
            }
        }

        Assert.InRange(statistics.FractionLost, 0, 1);
        Assert.True(statistics.PacketsLost >= 0);
    }
}
