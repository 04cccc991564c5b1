using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// The common part of RTPFB and PSFB feedback messages (RFC 4585 §6.1): the header with FMT in the count field,
/// the SSRC of the packet sender and the SSRC of the media source, then the feedback control information (FCI).
/// </summary>
internal static class RtcpFeedback
{
    /// <summary>Header and both SSRCs.</summary>
    public const int CommonLength = 12;

    public static bool TryRead(ReadOnlySpan<byte> data, RtcpPacketType type, byte format, out uint senderSsrc,
        out uint mediaSsrc, out ReadOnlySpan<byte> fci)
    {
        senderSsrc = mediaSsrc = 0;
        fci = default;
        if (!RtcpPacket.TryRead(data, type, out RtcpHeader header, out ReadOnlySpan<byte> payload)
            || header.Format != format || payload.Length < CommonLength - RtcpHeader.EncodedLength)
        {
            return false;
        }

        senderSsrc = BinaryPrimitives.ReadUInt32BigEndian(payload);
        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(payload[4..]);
        fci = payload[8..];
        return true;
    }

    /// <summary>Writes the header and both SSRCs; returns where the FCI goes.</summary>
    public static Span<byte> WriteCommon(Span<byte> destination, RtcpPacketType type, byte format, int packetLength,
        uint senderSsrc, uint mediaSsrc)
    {
        RtcpWriter.WriteHeader(destination, type, format, packetLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        return destination[CommonLength..packetLength];
    }
}
