using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// The four bytes that start every RTCP packet (RFC 3550 §6.4.1).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  Count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <see cref="Count"/> is the report count (SR, RR), source count (SDES, BYE) or feedback message type FMT
/// (RFC 4585 §6.1). <see cref="Length"/> is the packet's length in 32-bit words minus one.
/// </summary>
public readonly record struct RtcpHeader(bool Padding, byte Count, RtcpPacketType PacketType, ushort Length) : IWireEncodable
{
    public const int EncodedLength = 4;
    public const int Version = 2;
    public const byte MaxCount = 31;

    /// <summary>The largest packet the length field can describe.</summary>
    public const int MaxPacketLength = (ushort.MaxValue + 1) * 4;

    /// <summary>The whole packet's length in bytes, header and padding included.</summary>
    public int PacketLength => (Length + 1) * 4;

    /// <summary>The feedback message type, for RTPFB and PSFB packets.</summary>
    public byte Format => Count;

    /// <summary>Reads the header at the start of <paramref name="data"/>; false when it is shorter than four bytes
    /// or the version is not 2. The length is not checked against the data here.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpHeader header)
    {
        header = default;
        if (data.Length < EncodedLength || data[0] >> 6 != Version)
        {
            return false;
        }

        header = new RtcpHeader((data[0] & 0x20) != 0, (byte)(data[0] & 0x1F), (RtcpPacketType)data[1],
            BinaryPrimitives.ReadUInt16BigEndian(data[2..]));
        return true;
    }

    /// <summary>A header for a packet of <paramref name="packetLength"/> bytes, a multiple of four.</summary>
    public static RtcpHeader For(RtcpPacketType type, byte count, int packetLength, bool padding = false) =>
        new(padding, count, type, (ushort)((packetLength / 4) - 1));

    public int GetEncodedLength() => EncodedLength;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (Count > MaxCount || destination.Length < EncodedLength)
        {
            return false;
        }

        destination[0] = (byte)((Version << 6) | (Padding ? 0x20 : 0) | Count);
        destination[1] = (byte)PacketType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Length);
        written = EncodedLength;
        return true;
    }
}
