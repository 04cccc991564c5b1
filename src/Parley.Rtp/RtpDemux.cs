namespace Parley.Rtp;

/// <summary>
/// Tells apart what arrives on one UDP port: STUN, DTLS, TURN channel data and SRTP/SRTCP by the first byte
/// (RFC 7983 §7), then RTP from RTCP by the second (RFC 5761 §4: RTCP packet types 192-223 overlap only RTP
/// payload types 64-95 with the marker bit set, which rtcp-mux forbids). These are cheap checks on two bytes; the
/// parsers validate the rest.
/// </summary>
public static class RtpDemux
{
    public static DemuxedProtocol Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return DemuxedProtocol.Unknown;
        }

        return datagram[0] switch
        {
            <= 3 => DemuxedProtocol.Stun,
            >= 16 and <= 19 => DemuxedProtocol.Zrtp,
            >= 20 and <= 63 => DemuxedProtocol.Dtls,
            >= 64 and <= 79 => DemuxedProtocol.TurnChannel,
            >= 128 and <= 191 when datagram.Length >= 2 =>
                IsRtcpPacketType(datagram[1]) ? DemuxedProtocol.Rtcp : DemuxedProtocol.Rtp,
            _ => DemuxedProtocol.Unknown,
        };
    }

    /// <summary>RFC 5761 §4: a second byte (marker bit and payload type, or RTCP packet type) of 192-223 is RTCP.</summary>
    public static bool IsRtcpPacketType(byte secondByte) => secondByte is >= 192 and <= 223;

    public static bool IsRtp(ReadOnlySpan<byte> datagram) => Classify(datagram) == DemuxedProtocol.Rtp;

    public static bool IsRtcp(ReadOnlySpan<byte> datagram) => Classify(datagram) == DemuxedProtocol.Rtcp;
}
