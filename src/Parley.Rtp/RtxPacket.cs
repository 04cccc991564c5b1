using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// The RTP retransmission payload format (RFC 4588 §4): a retransmitted packet keeps the original's marker,
/// timestamp, CSRCs and header extension, gets the RTX stream's SSRC, payload type and sequence number, and
/// carries the original sequence number (OSN) before the original payload. Padding is not carried over.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP Header                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            OSN                |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// |                  Original RTP Packet Payload                  |
/// </code>
/// Both directions write into a caller's buffer, which may be the very buffer the input is in (same start):
/// the bytes are moved in an order that makes that safe.
/// </summary>
public static class RtxPacket
{
    public const int OsnLength = 2;

    /// <summary>The most a wrapped packet can take: the original plus the OSN.</summary>
    public static int GetMaxWrappedLength(int originalLength) => originalLength + OsnLength;

    /// <summary>Wraps <paramref name="original"/>; false when it is not an RTP packet or the destination is too small.</summary>
    public static bool TryWrap(ReadOnlySpan<byte> original, Span<byte> destination, uint rtxSsrc, byte rtxPayloadType,
        ushort rtxSequenceNumber, out int written)
    {
        written = 0;
        if (rtxPayloadType > RtpHeader.MaxPayloadType || !RtpPacket.TryRead(original, out RtpPacket packet))
        {
            return false;
        }

        int headerLength = packet.HeaderLength;
        int payloadLength = packet.Payload.Length;
        int length = headerLength + OsnLength + payloadLength;
        if (destination.Length < length)
        {
            return false;
        }

        ushort osn = packet.SequenceNumber;
        original.Slice(headerLength, payloadLength).CopyTo(destination[(headerLength + OsnLength)..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[headerLength..], osn);
        original[..headerLength].CopyTo(destination);
        destination[0] &= 0xDF; // no padding
        RtpPacketRewriter.SetPayloadType(destination, rtxPayloadType);
        RtpPacketRewriter.SetSequenceNumber(destination, rtxSequenceNumber);
        RtpPacketRewriter.SetSsrc(destination, rtxSsrc);
        written = length;
        return true;
    }

    /// <summary>Reads the original sequence number of an RTX packet.</summary>
    public static bool TryReadOriginalSequenceNumber(ReadOnlySpan<byte> rtx, out ushort originalSequenceNumber)
    {
        originalSequenceNumber = 0;
        if (!RtpPacket.TryRead(rtx, out RtpPacket packet) || packet.Payload.Length < OsnLength)
        {
            return false;
        }

        originalSequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet.Payload);
        return true;
    }

    /// <summary>Restores the original packet; false when <paramref name="rtx"/> is not an RTP packet with an OSN
    /// (a padding-only probe, say) or the destination is too small.</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> rtx, Span<byte> destination, uint originalSsrc,
        byte originalPayloadType, out int written)
    {
        written = 0;
        if (originalPayloadType > RtpHeader.MaxPayloadType || !RtpPacket.TryRead(rtx, out RtpPacket packet)
            || packet.Payload.Length < OsnLength)
        {
            return false;
        }

        int headerLength = packet.HeaderLength;
        int payloadLength = packet.Payload.Length - OsnLength;
        int length = headerLength + payloadLength;
        if (destination.Length < length)
        {
            return false;
        }

        ushort osn = BinaryPrimitives.ReadUInt16BigEndian(packet.Payload);
        rtx[..headerLength].CopyTo(destination);
        rtx.Slice(headerLength + OsnLength, payloadLength).CopyTo(destination[headerLength..]);
        destination[0] &= 0xDF;
        RtpPacketRewriter.SetPayloadType(destination, originalPayloadType);
        RtpPacketRewriter.SetSequenceNumber(destination, osn);
        RtpPacketRewriter.SetSsrc(destination, originalSsrc);
        written = length;
        return true;
    }
}
