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

    /// <summary>
    /// The frame shared by sender and receiver reports (RFC 3550 §6.4): header, the reporter's SSRC, the report
    /// blocks after the first <paramref name="fixedLength"/> bytes, then the profile extensions. The caller writes
    /// what lies between the SSRC and the blocks. False when there are more than 31 blocks, a block is out of
    /// range, the extensions are not whole words, or the destination is too small.
    /// </summary>
    public static bool TryWriteReport(Span<byte> destination, RtcpPacketType type, int fixedLength, uint ssrc,
        RtcpItemList<ReportBlock> blocks, ReadOnlySpan<byte> profileExtensions, out int length)
    {
        length = fixedLength + blocks.EncodedLength + profileExtensions.Length;
        if (blocks.Count > RtcpHeader.MaxCount || !CanWrite(length, destination) || !blocks.TryWriteTo(destination[fixedLength..]))
        {
            return false;
        }

        WriteHeader(destination, type, blocks.Count, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        profileExtensions.CopyTo(destination[(fixedLength + blocks.EncodedLength)..]);
        return true;
    }
}
