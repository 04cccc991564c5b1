namespace Parley.Rtp.Tests;

public sealed class DemuxTests
{
    [Theory]
    [InlineData(0, DemuxedProtocol.Stun)]
    [InlineData(1, DemuxedProtocol.Stun)]
    [InlineData(3, DemuxedProtocol.Stun)]
    [InlineData(4, DemuxedProtocol.Unknown)]
    [InlineData(15, DemuxedProtocol.Unknown)]
    [InlineData(16, DemuxedProtocol.Zrtp)]
    [InlineData(19, DemuxedProtocol.Zrtp)]
    [InlineData(20, DemuxedProtocol.Dtls)]
    [InlineData(22, DemuxedProtocol.Dtls)] // a handshake record
    [InlineData(63, DemuxedProtocol.Dtls)]
    [InlineData(64, DemuxedProtocol.TurnChannel)]
    [InlineData(79, DemuxedProtocol.TurnChannel)]
    [InlineData(80, DemuxedProtocol.Unknown)]
    [InlineData(127, DemuxedProtocol.Unknown)]
    [InlineData(128, DemuxedProtocol.Rtp)]
    [InlineData(191, DemuxedProtocol.Rtp)]
    [InlineData(192, DemuxedProtocol.Unknown)]
    [InlineData(255, DemuxedProtocol.Unknown)]
    public void The_first_byte_picks_the_protocol_as_rfc_7983_says(int first, DemuxedProtocol expected) =>
        Assert.Equal(expected, RtpDemux.Classify([(byte)first, 0x60, 0, 0]));

    [Theory]
    [InlineData(0x60, false)] // PT 96
    [InlineData(0xE0, false)] // M + PT 96
    [InlineData(0x7F, false)]
    [InlineData(0xBF, false)] // M + PT 63
    [InlineData(192, true)] // M + PT 64: RTCP's range
    [InlineData(200, true)] // SR
    [InlineData(201, true)] // RR
    [InlineData(205, true)] // RTPFB
    [InlineData(206, true)] // PSFB
    [InlineData(223, true)]
    public void The_second_byte_tells_rtcp_from_rtp_as_rfc_5761_says(int second, bool rtcp)
    {
        byte[] datagram = [0x80, (byte)second, 0, 1];
        Assert.Equal(rtcp, RtpDemux.IsRtcp(datagram));
        Assert.Equal(!rtcp, RtpDemux.IsRtp(datagram));
        Assert.Equal(rtcp, RtpDemux.IsRtcpPacketType((byte)second));
    }

    [Fact]
    public void The_vectors_are_classified_as_what_they_are()
    {
        foreach (byte[] rtp in RtpVectors.All)
        {
            Assert.Equal(DemuxedProtocol.Rtp, RtpDemux.Classify(rtp));
        }

        foreach (byte[] rtcp in RtcpVectors.All)
        {
            Assert.Equal(DemuxedProtocol.Rtcp, RtpDemux.Classify(rtcp));
        }

        Assert.Equal(DemuxedProtocol.Unknown, RtpDemux.Classify([]));
        Assert.Equal(DemuxedProtocol.Unknown, RtpDemux.Classify([0x80]));
        Assert.Equal(DemuxedProtocol.Stun, RtpDemux.Classify([0x00]));
    }
}
