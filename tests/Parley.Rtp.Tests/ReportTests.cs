using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

public sealed class ReportTests
{
    [Fact]
    public void A_sender_report_reads_field_by_field()
    {
        Assert.True(SenderReport.TryRead(RtcpVectors.SenderReport, out SenderReport sr));
        Assert.Equal(0xaabbccddu, sr.Ssrc);
        Assert.Equal(0xe54c6e9f_80000000UL, sr.NtpTimestamp);
        Assert.Equal(0x6e9f8000u, sr.CompactNtpTimestamp); // the middle 32 bits
        Assert.Equal(90000u, sr.RtpTimestamp);
        Assert.Equal(100u, sr.PacketCount);
        Assert.Equal(16000u, sr.OctetCount);
        Assert.Equal(1, sr.ReportBlocks.Count);
        Assert.Equal(new ReportBlock(0x11223344, 25, -2, 0x00010203, 32, 0x4c6e9f80, 0x10000), sr.ReportBlocks[0]);
        Assert.True(sr.ProfileExtensions.IsEmpty);
    }

    [Fact]
    public void A_receiver_report_reads_field_by_field()
    {
        Assert.True(ReceiverReport.TryRead(RtcpVectors.ReceiverReport, out ReceiverReport rr));
        Assert.Equal(1u, rr.Ssrc);
        ReportBlock block = Assert.Single(Blocks(rr.ReportBlocks));
        Assert.Equal(new ReportBlock(0x11223344, 0, 5, 0xffff, 256, 0, 0), block);
    }

    [Fact]
    public void Reports_are_rebuilt_byte_for_byte_from_their_fields()
    {
        ReportBlock[] blocks = [new(0x11223344, 25, -2, 0x00010203, 32, 0x4c6e9f80, 0x10000)];
        var sr = new SenderReport
        {
            Ssrc = 0xaabbccdd,
            NtpTimestamp = 0xe54c6e9f_80000000UL,
            RtpTimestamp = 90000,
            PacketCount = 100,
            OctetCount = 16000,
            ReportBlocks = new RtcpItemList<ReportBlock>(blocks),
        };
        Assert.Equal(RtcpVectors.SenderReport, Wire.Encode(sr));

        ReportBlock[] rrBlocks = [new(0x11223344, 0, 5, 0xffff, 256, 0, 0)];
        var rr = new ReceiverReport { Ssrc = 1, ReportBlocks = new RtcpItemList<ReportBlock>(rrBlocks) };
        Assert.Equal(RtcpVectors.ReceiverReport, Wire.Encode(rr));
    }

    [Fact]
    public void Parsed_reports_are_written_back_byte_for_byte()
    {
        Assert.True(SenderReport.TryRead(RtcpVectors.SenderReport, out SenderReport sr));
        Assert.Equal(RtcpVectors.SenderReport, Wire.Encode(sr));
        Assert.True(ReceiverReport.TryRead(RtcpVectors.ReceiverReport, out ReceiverReport rr));
        Assert.Equal(RtcpVectors.ReceiverReport, Wire.Encode(rr));
    }

    [Fact]
    public void An_empty_receiver_report_and_profile_extensions_round_trip()
    {
        byte[] empty = Hex.Parse("80 c9 00 01 00 00 00 07"); // RC=0: just the reporter's SSRC
        Assert.True(ReceiverReport.TryRead(empty, out ReceiverReport rr));
        Assert.Equal(7u, rr.Ssrc);
        Assert.True(rr.ReportBlocks.IsEmpty);
        Assert.Equal(empty, Wire.Encode(rr));

        byte[] extended = Hex.Parse("80 c9 00 02 00 00 00 07 de ad be ef"); // one word of profile extension
        Assert.True(ReceiverReport.TryRead(extended, out rr));
        Assert.Equal([0xde, 0xad, 0xbe, 0xef], rr.ProfileExtensions.ToArray());
        Assert.Equal(extended, Wire.Encode(rr));
    }

    [Theory]
    [InlineData(0, 0x000000)]
    [InlineData(1, 0x000001)]
    [InlineData(-1, 0xffffff)]
    [InlineData(ReportBlock.MaxCumulativeLost, 0x7fffff)]
    [InlineData(ReportBlock.MinCumulativeLost, 0x800000)]
    public void Cumulative_loss_is_a_signed_24_bit_number(int lost, int wire)
    {
        byte[] buffer = new byte[24];
        Assert.True(new ReportBlock(1, 0, lost, 0, 0, 0, 0).TryWrite(buffer, out _));
        Assert.Equal(wire, (buffer[5] << 16) | (buffer[6] << 8) | buffer[7]);
        Assert.True(ReportBlock.TryRead(buffer, out ReportBlock block));
        Assert.Equal(lost, block.CumulativeLost);
    }

    [Fact]
    public void Out_of_range_reports_are_not_written()
    {
        byte[] buffer = new byte[1024];
        ReportBlock[] bad = [new(1, 0, 1 << 23, 0, 0, 0, 0)];
        Assert.False(new ReceiverReport { ReportBlocks = new RtcpItemList<ReportBlock>(bad) }.TryWrite(buffer, out _));
        ReportBlock[] tooMany = new ReportBlock[32];
        Assert.False(new ReceiverReport { ReportBlocks = new RtcpItemList<ReportBlock>(tooMany) }.TryWrite(buffer, out _));
        byte[] ragged = [1, 2];
        Assert.False(new ReceiverReport { ProfileExtensions = ragged }.TryWrite(buffer, out _));
    }

    [Theory]
    [InlineData("82 c9 00 07 00 00 00 01 11 22 33 44 00 00 00 05 00 00 ff ff 00 00 01 00 00 00 00 00 00 00 00 00")] // RC=2, one block
    [InlineData("81 c8 00 07 00 00 00 01 11 22 33 44 00 00 00 05 00 00 ff ff 00 00 01 00 00 00 00 00 00 00 00 00")] // an RR as an SR
    [InlineData("80 c8 00 05 aa bb cc dd e5 4c 6e 9f 80 00 00 00 00 01 5f 90 00 00 00 64")] // sender info cut short
    public void Reports_whose_blocks_do_not_fit_are_refused(string hex)
    {
        byte[] data = Hex.Parse(hex);
        Assert.False(ReceiverReport.TryRead(data, out _));
        Assert.False(SenderReport.TryRead(data, out _));
    }

    private static List<ReportBlock> Blocks(RtcpItemList<ReportBlock> list)
    {
        var blocks = new List<ReportBlock>();
        foreach (ReportBlock block in list)
        {
            blocks.Add(block);
        }

        return blocks;
    }
}
