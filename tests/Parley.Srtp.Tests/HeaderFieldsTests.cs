namespace Parley.Srtp.Tests;

public sealed class HeaderFieldsTests
{
    [Theory]
    [InlineData(0, -1, 12)]
    [InlineData(3, -1, 24)]
    [InlineData(0, 0, 16)]
    [InlineData(15, 4, 12 + 60 + 4 + 16)]
    public void The_rtp_header_length_counts_csrcs_and_the_extension(int csrcs, int extensionWords, int expected)
    {
        byte[] packet = TestPackets.Rtp(0xBEEF, 0x01020304, 5, csrcs, extensionWords);
        Assert.True(RtpHeaderFields.TryRead(packet, out RtpHeaderFields header));
        Assert.Equal(new RtpHeaderFields(expected, 0xBEEF, 0x01020304), header);
    }

    [Fact]
    public void Every_truncated_rtp_header_and_other_versions_are_refused()
    {
        byte[] packet = TestPackets.Rtp(1, 2, 0, csrcs: 2, extensionWords: 3);
        for (int length = 0; length < packet.Length; length++)
        {
            Assert.False(RtpHeaderFields.TryRead(packet.AsSpan(0, length), out _), $"{length} bytes");
        }

        foreach (byte version in new byte[] { 0x00, 0x40, 0xC0 })
        {
            packet[0] = (byte)((packet[0] & 0x3F) | version);
            Assert.False(RtpHeaderFields.TryRead(packet, out _));
        }
    }

    [Fact]
    public void The_rtcp_sender_ssrc_is_read_from_bytes_4_to_7_of_a_version_2_packet()
    {
        byte[] packet = TestPackets.Rtcp(0xDEADBEEF);
        Assert.True(RtcpHeaderFields.TryReadSenderSsrc(packet, out uint ssrc));
        Assert.Equal(0xDEADBEEFu, ssrc);
        Assert.False(RtcpHeaderFields.TryReadSenderSsrc(packet.AsSpan(0, 7), out _));
        packet[0] = 0x40;
        Assert.False(RtcpHeaderFields.TryReadSenderSsrc(packet, out _));
    }
}
