using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

public sealed class RtcpCompoundTests
{
    [Fact]
    public void A_compound_packet_is_enumerated_packet_by_packet()
    {
        Assert.True(RtcpCompoundPacket.TryRead(RtcpVectors.Compound, out RtcpCompoundPacket compound));
        Assert.Equal(3, compound.Count);
        var types = new List<RtcpPacketType>();
        var lengths = new List<int>();
        foreach (RtcpPacket packet in compound)
        {
            types.Add(packet.PacketType);
            lengths.Add(packet.Raw.Length);
        }

        Assert.Equal([RtcpPacketType.ReceiverReport, RtcpPacketType.SourceDescription, RtcpPacketType.PayloadFeedback], types);
        Assert.Equal([32, 32, 16], lengths);
    }

    [Fact]
    public void Each_packet_of_a_compound_reads_with_its_own_reader_and_padding_is_removed()
    {
        Assert.True(RtcpCompoundPacket.TryRead(RtcpVectors.Compound, out RtcpCompoundPacket compound));
        int index = 0;
        foreach (RtcpPacket packet in compound)
        {
            switch (index++)
            {
                case 0:
                    Assert.True(ReceiverReport.TryRead(packet.Raw, out ReceiverReport rr));
                    Assert.Equal(1u, rr.Ssrc);
                    break;
                case 1:
                    Assert.True(SourceDescription.TryRead(packet.Raw, out SourceDescription sdes));
                    Assert.Equal(2, sdes.ChunkCount);
                    break;
                default:
                    Assert.True(packet.Header.Padding);
                    Assert.Equal(8, packet.Payload.Length);
                    Assert.True(packet.IsFeedback(RtcpPacketType.PayloadFeedback, 1));
                    Assert.True(PictureLossIndication.TryRead(packet.Raw, out PictureLossIndication pli));
                    Assert.Equal(new PictureLossIndication(1, 0x11223344), pli);
                    break;
            }
        }
    }

    [Fact]
    public void Every_truncated_prefix_of_a_compound_packet_is_refused()
    {
        byte[] compound = RtcpVectors.Compound;
        for (int length = 0; length < compound.Length; length++)
        {
            bool ok = RtcpCompoundPacket.TryRead(compound.AsSpan(0, length), out _);
            Assert.Equal(length is 32 or 64, ok); // only the cuts between whole packets leave a valid compound
        }
    }

    public static TheoryData<int> VectorIndexes => [.. Enumerable.Range(0, RtcpVectors.Single.Count())];

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Every_truncated_prefix_of_every_rtcp_vector_is_refused_by_every_reader(int index)
    {
        byte[] vector = RtcpVectors.Single.ElementAt(index);
        Assert.True(RtcpCompoundPacket.TryRead(vector, out _));
        for (int length = 0; length < vector.Length; length++)
        {
            ReadOnlySpan<byte> prefix = vector.AsSpan(0, length);
            string at = $"prefix of {length} bytes";
            Assert.False(RtcpPacket.TryRead(prefix, out _), at);
            Assert.False(SenderReport.TryRead(prefix, out _), at);
            Assert.False(ReceiverReport.TryRead(prefix, out _), at);
            Assert.False(SourceDescription.TryRead(prefix, out _), at);
            Assert.False(Goodbye.TryRead(prefix, out _), at);
            Assert.False(PictureLossIndication.TryRead(prefix, out _), at);
            Assert.False(FullIntraRequest.TryRead(prefix, out _), at);
            Assert.False(GenericNack.TryRead(prefix, out _), at);
            Assert.False(ReceiverEstimatedMaxBitrate.TryRead(prefix, out _), at);
            Assert.False(TransportWideFeedback.TryRead(prefix, out _), at);
        }
    }

    [Fact]
    public void Padding_anywhere_but_on_the_last_packet_is_refused()
    {
        byte[] padded = Hex.Parse("a1 ce 00 03 00 00 00 01 11 22 33 44 00 00 00 04");
        Assert.True(RtcpCompoundPacket.TryRead(padded, out _));
        Assert.False(RtcpCompoundPacket.TryRead([.. padded, .. RtcpVectors.PictureLossIndication], out _));
        Assert.True(RtcpCompoundPacket.TryRead([.. RtcpVectors.PictureLossIndication, .. padded], out _));
    }

    [Theory]
    [InlineData("41 ce 00 02 00 00 00 01 11 22 33 44")] // version 1
    [InlineData("81 ce 00 03 00 00 00 01 11 22 33 44")] // length one word past the end
    [InlineData("81 ce 00 01 00 00 00 01 11 22 33 44")] // length one word short: 4 bytes left over
    [InlineData("a1 ce 00 02 00 00 00 01 11 22 33 00")] // padding count 0
    [InlineData("a1 ce 00 02 00 00 00 01 11 22 33 09")] // padding count past the header
    [InlineData("81 ce 00 02 00 00 00 01 11 22 33 44 00")] // a trailing byte
    [InlineData("")]
    public void Malformed_compounds_are_refused(string hex) =>
        Assert.False(RtcpCompoundPacket.TryRead(Hex.Parse(hex), out _));

    [Fact]
    public void The_common_header_reads_and_writes_its_fields()
    {
        Assert.True(RtcpHeader.TryRead(RtcpVectors.SenderReport, out RtcpHeader header));
        Assert.Equal(new RtcpHeader(false, 1, RtcpPacketType.SenderReport, 12), header);
        Assert.Equal(52, header.PacketLength);
        byte[] buffer = new byte[4];
        Assert.True(header.TryWrite(buffer, out _));
        Assert.Equal(RtcpVectors.SenderReport[..4], buffer);
        Assert.Equal(new RtcpHeader(true, 31, RtcpPacketType.Goodbye, 3), RtcpHeader.For(RtcpPacketType.Goodbye, 31, 16, true));
        Assert.False(new RtcpHeader(false, 32, RtcpPacketType.Goodbye, 0).TryWrite(buffer, out _));
        Assert.False(RtcpHeader.TryRead([0x81, 0xc8, 0x00], out _));
    }
}
