namespace Parley.Rtp.Tests;

public sealed class RtpPacketTests
{
    public static TheoryData<int> VectorIndexes => [.. Enumerable.Range(0, RtpVectors.All.Count())];

    private static byte[] Vector(int index) => RtpVectors.All.ElementAt(index);

    [Fact]
    public void The_minimal_packet_reads_field_by_field()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.Minimal, out RtpPacket packet));
        Assert.Equal(new RtpHeader(false, 96, 1, 10, 0x12345678), packet.Header);
        Assert.Equal(0, packet.Csrcs.Count);
        Assert.False(packet.HasExtension);
        Assert.Equal(0, packet.PaddingLength);
        Assert.Equal(12, packet.HeaderLength);
        Assert.Equal([0xde, 0xad, 0xbe, 0xef], packet.Payload.ToArray());
    }

    [Fact]
    public void Csrcs_marker_and_padding_are_read_and_the_padding_is_not_payload()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.CsrcsAndPadding, out RtpPacket packet));
        Assert.True(packet.Marker);
        Assert.Equal(96, packet.PayloadType);
        Assert.Equal(65535, packet.SequenceNumber);
        Assert.Equal(uint.MaxValue, packet.Timestamp);
        Assert.Equal(1u, packet.Ssrc);
        Assert.Equal(2, packet.Csrcs.Count);
        Assert.Equal(2u, packet.Csrcs[0]);
        Assert.Equal(3u, packet.Csrcs[1]);
        Assert.Equal(3, packet.PaddingLength);
        Assert.Equal([1, 2, 3], packet.Payload.ToArray());
        Assert.Equal(20, packet.HeaderLength);
    }

    [Fact]
    public void The_extension_block_is_located_and_the_payload_follows_it()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.Rfc8285OneByteExample, out RtpPacket packet));
        Assert.True(packet.HasExtension);
        Assert.Equal(RtpHeaderExtension.OneByteProfile, packet.Extension.Profile);
        Assert.Equal(RtpExtensionForm.OneByte, packet.Extension.Form);
        Assert.Equal(12, packet.Extension.Data.Length);
        Assert.Equal(28, packet.HeaderLength);
        Assert.Equal([0xf8, 0xff, 0xfe], packet.Payload.ToArray());
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Every_vector_is_rewritten_byte_for_byte(int index)
    {
        byte[] vector = Vector(index);
        Assert.True(RtpPacket.TryRead(vector, out RtpPacket packet));
        Assert.Equal(vector.Length, packet.GetEncodedLength());
        byte[] buffer = new byte[vector.Length];
        Assert.True(packet.TryWrite(buffer, out int written));
        Assert.Equal(vector.Length, written);
        Assert.Equal(vector, buffer);
        Assert.False(packet.TryWrite(buffer.AsSpan(0, vector.Length - 1), out _));
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Every_truncated_prefix_of_a_vector_is_refused_or_reads_as_a_shorter_packet(int index)
    {
        // Without padding, a prefix that still holds the header is a valid packet with a shorter payload; every
        // prefix that cuts into the header, the CSRCs or the extension block must be refused.
        byte[] vector = Vector(index);
        Assert.True(RtpPacket.TryRead(vector, out RtpPacket whole));
        int headerLength = whole.HeaderLength;
        bool padded = whole.PaddingLength != 0;
        for (int length = 0; length < vector.Length; length++)
        {
            bool ok = RtpPacket.TryRead(vector.AsSpan(0, length), out RtpPacket packet);
            if (length < headerLength)
            {
                Assert.False(ok, $"prefix of {length} bytes");
            }
            else if (!padded)
            {
                Assert.True(ok, $"prefix of {length} bytes");
                Assert.Equal(length - headerLength, packet.Payload.Length);
            }
        }
    }

    [Fact]
    public void The_fixed_header_alone_reads_from_any_packet_prefix_of_12_bytes()
    {
        Assert.True(RtpHeader.TryRead(RtpVectors.WebRtcVideo, out RtpHeader header));
        Assert.Equal(new RtpHeader(true, 96, 6699, 123456, 0x11223344), header);
        Assert.True(RtpHeader.TryRead(RtpVectors.WebRtcVideo.AsSpan(0, 12), out _));
        Assert.False(RtpHeader.TryRead(RtpVectors.WebRtcVideo.AsSpan(0, 11), out _));
        Assert.False(RtpHeader.TryRead(RtcpVectors.PictureLossIndication.AsSpan(0, 4), out _));
    }

    [Theory]
    [InlineData("40 60 00 01 00 00 00 0a 12 34 56 78")] // version 1
    [InlineData("c0 60 00 01 00 00 00 0a 12 34 56 78")] // version 3
    [InlineData("81 60 00 01 00 00 00 0a 12 34 56 78")] // a CSRC past the end
    [InlineData("90 60 00 01 00 00 00 0a 12 34 56 78 be de 00 01")] // an extension word past the end
    [InlineData("90 60 00 01 00 00 00 0a 12 34 56 78 be de")] // a cut extension header
    [InlineData("a0 60 00 01 00 00 00 0a 12 34 56 78 00 00 00 00")] // padding count 0
    [InlineData("a0 60 00 01 00 00 00 0a 12 34 56 78 00 00 00 05")] // padding count past the header
    public void Malformed_headers_are_refused(string hex) => Assert.False(RtpPacket.TryRead(Hex.Parse(hex), out _));

    [Fact]
    public void Padding_may_take_the_whole_payload()
    {
        byte[] probe = Hex.Parse("a0 60 00 01 00 00 00 0a 12 34 56 78 00 00 00 04");
        Assert.True(RtpPacket.TryRead(probe, out RtpPacket packet));
        Assert.Equal(0, packet.Payload.Length);
        Assert.Equal(4, packet.PaddingLength);
    }

    [Fact]
    public void A_packet_is_built_from_parts_with_an_extension_and_padding()
    {
        Span<byte> extensionBuffer = stackalloc byte[32];
        var extensions = new RtpHeaderExtensionBuilder(extensionBuffer, RtpExtensionForm.OneByte);
        Assert.True(extensions.TryAdd(2, new AbsoluteSendTime(0x123456)));
        Assert.True(extensions.TryAdd(3, new TransportSequenceNumber(42)));
        Assert.True(extensions.TryAdd(4, new SdesMid("0")));
        Assert.True(extensions.TryAdd(10, new RtpStreamId("h")));
        var packet = new RtpPacket(new RtpHeader(true, 96, 6699, 123456, 0x11223344), [0x90, 0x90, 0x90, 0x90, 0x90, 0x90])
        {
            Extension = extensions.Build(),
        };

        byte[] buffer = new byte[packet.GetEncodedLength()];
        Assert.True(packet.TryWrite(buffer, out int written));
        Assert.Equal(RtpVectors.WebRtcVideo, buffer[..written]);

        uint[] csrcs = [2, 3];
        var padded = new RtpPacket(new RtpHeader(true, 96, 65535, uint.MaxValue, 1), [1, 2, 3])
        {
            Csrcs = new SsrcList(csrcs),
            PaddingLength = 3,
        };
        buffer = new byte[padded.GetEncodedLength()];
        Assert.True(padded.TryWrite(buffer, out _));
        Assert.Equal(RtpVectors.CsrcsAndPadding, buffer);
    }

    [Fact]
    public void Out_of_range_fields_are_not_written()
    {
        byte[] buffer = new byte[128];
        Assert.False(new RtpPacket(new RtpHeader(false, 128, 0, 0, 0), []).TryWrite(buffer, out _));
        uint[] sixteen = new uint[16];
        Assert.False(new RtpPacket(new RtpHeader(false, 96, 0, 0, 0), []) { Csrcs = new SsrcList(sixteen) }.TryWrite(buffer, out _));
        byte[] ragged = [1, 2, 3];
        Assert.False(new RtpPacket(new RtpHeader(false, 96, 0, 0, 0), [])
        {
            Extension = new RtpHeaderExtension(RtpHeaderExtension.OneByteProfile, ragged),
        }.TryWrite(buffer, out _));
    }
}
