using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>Shared checks and header writing for the RTCP packet writers.</summary>
internal static class RtcpWriter
{
    /// <summary>True when a packet of this length can be described by the length field and fits the destination.</summary>
    public static bool CanWrite(int packetLength, Span<byte> destination) =>
        packetLength % 4 == 0 && packetLength <= RtcpHeader.MaxPacketLength && destination.Length >= packetLength;

    public static void WriteHeader(Span<byte> destination, RtcpPacketType type, int count, int packetLength)
    {
        destination[0] = (byte)((RtcpHeader.Version << 6) | count);
        destination[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((packetLength / 4) - 1));
    }
}
