using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// The fields of an RTP fixed header (RFC 3550 §5.1) that a sender chooses. The version is always 2; the
/// padding (P), extension (X) and CSRC count (CC) bits follow from the rest of the <see cref="RtpPacket"/>.
/// </summary>
public readonly record struct RtpHeader(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc)
{
    /// <summary>The payload type is a 7-bit field.</summary>
    public const byte MaxPayloadType = 127;

    /// <summary>
    /// Reads the fixed header at the start of <paramref name="data"/>: false when it is shorter than 12 bytes or the
    /// version is not 2. The cheap look at a packet's SSRC and sequence number, before (or instead of) a full
    /// <see cref="RtpPacket.TryRead"/>, which also checks what follows.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtpHeader header)
    {
        header = default;
        if (data.Length < RtpPacket.FixedHeaderLength || data[0] >> 6 != RtpPacket.Version)
        {
            return false;
        }

        header = new RtpHeader(
            Marker: (data[1] & 0x80) != 0,
            PayloadType: (byte)(data[1] & 0x7F),
            SequenceNumber: BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
            Timestamp: BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            Ssrc: BinaryPrimitives.ReadUInt32BigEndian(data[8..]));
        return true;
    }
}
