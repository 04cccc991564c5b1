using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

public sealed class FeedbackTests
{
    [Fact]
    public void A_pli_names_the_requester_and_the_media_source()
    {
        Assert.True(PictureLossIndication.TryRead(RtcpVectors.PictureLossIndication, out PictureLossIndication pli));
        Assert.Equal(new PictureLossIndication(1, 0x11223344), pli);
        Assert.Equal(RtcpVectors.PictureLossIndication, Wire.Encode(pli));
        Assert.False(PictureLossIndication.TryRead(RtcpVectors.FullIntraRequest, out _)); // FMT 4, not 1
        Assert.False(PictureLossIndication.TryRead(Hex.Parse("81 ce 00 03 00 00 00 01 11 22 33 44 00 00 00 00"), out _));
    }

    [Fact]
    public void A_fir_carries_ssrc_and_command_sequence_number_entries()
    {
        Assert.True(FullIntraRequest.TryRead(RtcpVectors.FullIntraRequest, out FullIntraRequest fir));
        Assert.Equal(1u, fir.SenderSsrc);
        Assert.Equal(0u, fir.MediaSsrc);
        Assert.Equal(new FirEntry(0x11223344, 7), Assert.Single(Entries(fir.Entries)));
        Assert.Equal(RtcpVectors.FullIntraRequest, Wire.Encode(fir));

        FirEntry[] entries = [new(0x11223344, 7)];
        Assert.Equal(RtcpVectors.FullIntraRequest, Wire.Encode(new FullIntraRequest(1, new RtcpItemList<FirEntry>(entries))));
    }

    [Fact]
    public void Fir_reserved_bits_are_ignored_and_an_empty_fir_is_refused()
    {
        byte[] reserved = [.. RtcpVectors.FullIntraRequest];
        reserved[^1] = 0xFF;
        Assert.True(FullIntraRequest.TryRead(reserved, out FullIntraRequest fir));
        Assert.Equal(new FirEntry(0x11223344, 7), fir.Entries[0]);
        Assert.False(FullIntraRequest.TryRead(Hex.Parse("84 ce 00 02 00 00 00 01 00 00 00 00"), out _));
        Assert.False(FullIntraRequest.TryRead(Hex.Parse("84 ce 00 03 00 00 00 01 00 00 00 00 11 22 33 44"), out _));
        Assert.False(new FullIntraRequest(1, default).TryWrite(new byte[64], out _));
    }

    [Fact]
    public void A_remb_reads_exponent_mantissa_and_ssrcs()
    {
        Assert.True(ReceiverEstimatedMaxBitrate.TryRead(RtcpVectors.Remb, out ReceiverEstimatedMaxBitrate remb));
        Assert.Equal(1u, remb.SenderSsrc);
        Assert.Equal(0u, remb.MediaSsrc);
        Assert.Equal(2, remb.Exponent);
        Assert.Equal(250_000u, remb.Mantissa);
        Assert.Equal(1_000_000UL, remb.Bitrate);
        Assert.Equal(0x11223344u, Assert.Single(Ssrcs(remb.Ssrcs)));
        Assert.Equal(RtcpVectors.Remb, Wire.Encode(remb));
        Assert.True(ReceiverEstimatedMaxBitrate.IsRemb(RtcpVectors.Remb));
    }

    [Theory]
    [InlineData(0UL, 0, 0u)]
    [InlineData(262_143UL, 0, 262_143u)] // the largest 18-bit mantissa
    [InlineData(262_144UL, 1, 131_072u)]
    [InlineData(1_000_000UL, 2, 250_000u)]
    [InlineData(2_500_001UL, 4, 156_250u)] // rounded down
    [InlineData(ulong.MaxValue, 46, 262_143u)]
    public void A_bitrate_is_encoded_with_the_smallest_exponent(ulong bitrate, int exponent, uint mantissa)
    {
        uint[] ssrcs = [0x11223344];
        ReceiverEstimatedMaxBitrate remb = ReceiverEstimatedMaxBitrate.Create(1, bitrate, new SsrcList(ssrcs));
        Assert.Equal(exponent, remb.Exponent);
        Assert.Equal(mantissa, remb.Mantissa);
        Assert.True(remb.Bitrate <= bitrate);
        Assert.True(ReceiverEstimatedMaxBitrate.TryRead(Wire.Encode(remb), out ReceiverEstimatedMaxBitrate parsed));
        Assert.Equal(remb.Bitrate, parsed.Bitrate);
    }

    [Fact]
    public void A_remb_with_the_vector_bitrate_is_written_byte_for_byte_and_huge_exponents_saturate()
    {
        uint[] ssrcs = [0x11223344];
        Assert.Equal(RtcpVectors.Remb, Wire.Encode(ReceiverEstimatedMaxBitrate.Create(1, 1_000_000, new SsrcList(ssrcs))));
        Assert.Equal(ulong.MaxValue, new ReceiverEstimatedMaxBitrate { Exponent = 63, Mantissa = 1 << 17 }.Bitrate);
        Assert.Equal(1UL << 63, new ReceiverEstimatedMaxBitrate { Exponent = 63, Mantissa = 1 }.Bitrate);
        Assert.False(new ReceiverEstimatedMaxBitrate { Exponent = 64 }.TryWrite(new byte[64], out _));
        Assert.False(new ReceiverEstimatedMaxBitrate { Mantissa = 1 << 18 }.TryWrite(new byte[64], out _));
    }

    [Theory]
    [InlineData("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 43 00 0b d0 90")] // not 'REMB'
    [InlineData("8f ce 00 04 00 00 00 01 00 00 00 00 52 45 4d 42 01 0b d0 90")] // Num SSRC 1, none there
    [InlineData("8f ce 00 05 00 00 00 01 00 00 00 00 52 45 4d 42 00 0b d0 90 11 22 33 44")] // one SSRC too many
    [InlineData("8f ce 00 03 00 00 00 01 00 00 00 00 52 45 4d 42")] // no bitrate
    public void Malformed_rembs_are_refused(string hex) =>
        Assert.False(ReceiverEstimatedMaxBitrate.TryRead(Hex.Parse(hex), out _));

    [Theory]
    [InlineData(nameof(RtcpVectors.PictureLossIndication))]
    [InlineData(nameof(RtcpVectors.FullIntraRequest))]
    [InlineData(nameof(RtcpVectors.Remb))]
    public void Every_truncated_prefix_is_refused(string name)
    {
        byte[] vector = (byte[])typeof(RtcpVectors).GetField(name)!.GetValue(null)!;
        for (int length = 0; length < vector.Length; length++)
        {
            ReadOnlySpan<byte> prefix = vector.AsSpan(0, length);
            Assert.False(PictureLossIndication.TryRead(prefix, out _));
            Assert.False(FullIntraRequest.TryRead(prefix, out _));
            Assert.False(ReceiverEstimatedMaxBitrate.TryRead(prefix, out _));
        }
    }

    private static List<FirEntry> Entries(RtcpItemList<FirEntry> list)
    {
        var entries = new List<FirEntry>();
        foreach (FirEntry entry in list)
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static List<uint> Ssrcs(SsrcList list)
    {
        var ssrcs = new List<uint>();
        foreach (uint ssrc in list)
        {
            ssrcs.Add(ssrc);
        }

        return ssrcs;
    }
}
