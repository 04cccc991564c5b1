namespace Parley.Rtp.Tests;

public sealed class RewriterTests
{
    [Fact]
    public void Fixed_fields_are_rewritten_in_place_and_nothing_else_changes()
    {
        byte[] packet = [.. RtpVectors.WebRtcVideo];
        RtpPacketRewriter.SetSsrc(packet, 0xAABBCCDD);
        RtpPacketRewriter.SetSequenceNumber(packet, 7);
        RtpPacketRewriter.SetTimestamp(packet, 0xFFFF0000);
        RtpPacketRewriter.SetPayloadType(packet, 100);
        RtpPacketRewriter.SetMarker(packet, false);

        Assert.True(RtpPacket.TryRead(packet, out RtpPacket rewritten));
        Assert.Equal(new RtpHeader(false, 100, 7, 0xFFFF0000, 0xAABBCCDD), rewritten.Header);
        Assert.Equal(RtpVectors.WebRtcVideo[12..], packet[12..]);
        Assert.Equal(RtpVectors.WebRtcVideo[0], packet[0]);

        RtpPacketRewriter.SetMarker(packet, true);
        RtpPacketRewriter.SetPayloadType(packet, 96);
        Assert.Equal(0xE0, packet[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => RtpPacketRewriter.SetPayloadType(packet, 128));
    }

    [Fact]
    public void Fixed_size_extension_values_are_overwritten_in_place()
    {
        byte[] packet = [.. RtpVectors.WebRtcVideo];
        Assert.True(RtpPacketRewriter.TrySetExtension(packet, 3, new TransportSequenceNumber(0xBEEF)));
        Assert.True(RtpPacketRewriter.TrySetExtension(packet, 2, new AbsoluteSendTime(0xABCDEF)));

        Assert.True(RtpPacket.TryRead(packet, out RtpPacket rewritten));
        Assert.True(rewritten.Extension.TryGet(3, out TransportSequenceNumber twcc));
        Assert.Equal(0xBEEF, twcc.Value);
        Assert.True(rewritten.Extension.TryGet(2, out AbsoluteSendTime sendTime));
        Assert.Equal(0xABCDEFu, sendTime.Value);
        Assert.Equal(Hex.Parse("22 ab cd ef 31 be ef 40 30"), packet[16..25]);
        Assert.Equal(RtpVectors.WebRtcVideo.Length, packet.Length);
    }

    [Fact]
    public void An_absent_element_or_one_of_another_size_is_left_alone()
    {
        byte[] packet = [.. RtpVectors.WebRtcVideo];
        Assert.False(RtpPacketRewriter.TrySetExtension(packet, 5, new TransportSequenceNumber(1)));
        Assert.False(RtpPacketRewriter.TrySetExtension(packet, 2, new TransportSequenceNumber(1))); // 3 bytes there
        Assert.False(RtpPacketRewriter.TrySetExtensionValue(packet, 4, [1, 2]));
        Assert.False(RtpPacketRewriter.TrySetExtension(packet, 4, new SdesMid(" "))); // same size, invalid value
        Assert.True(RtpPacketRewriter.TrySetExtension(packet, 4, new SdesMid("1")));
        Assert.True(RtpPacket.TryRead(packet, out RtpPacket rewritten));
        Assert.True(rewritten.Extension.TryGet(4, out SdesMid mid));
        Assert.Equal("1", mid.Value);

        byte[] plain = [.. RtpVectors.Minimal];
        Assert.False(RtpPacketRewriter.TrySetExtension(plain, 1, new TransportSequenceNumber(1)));
        Assert.False(RtpPacketRewriter.TryGetExtensionValue([1, 2, 3], 1, out _));
    }

    [Fact]
    public void The_writable_value_of_an_element_is_a_slice_of_the_packet()
    {
        byte[] packet = [.. RtpVectors.WebRtcAudio];
        Assert.True(RtpPacketRewriter.TryGetExtensionValue(packet, 1, out Span<byte> level));
        level[0] = 0x7F;
        Assert.Equal(0x7F, packet[17]);
        Assert.True(RtpPacket.TryRead(packet, out RtpPacket rewritten));
        Assert.True(rewritten.Extension.TryGet(1, out AudioLevel audio));
        Assert.Equal(new AudioLevel(false, 127), audio);
    }
}
