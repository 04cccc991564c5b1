using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// A sender report, SR (RFC 3550 §6.4.1): the sender's clocks and counts, then up to 31 reception report blocks,
/// then optional profile-specific extensions. A view over the bytes it was read from, or parts given for writing.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// |             NTP timestamp, least significant word             |
/// |                         RTP timestamp                         |
/// |                     sender's packet count                     |
/// |                      sender's octet count                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (24 bytes each)                 |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// </code>
/// </summary>
public readonly ref struct SenderReport : IWireEncodable
{
    /// <summary>Header, SSRC and sender info.</summary>
    public const int MinLength = 28;

    public uint Ssrc { get; init; }

    /// <summary>The wallclock time of the report as a 64-bit NTP timestamp (32.32 seconds since 1900).</summary>
    public ulong NtpTimestamp { get; init; }

    /// <summary>The same instant on the RTP media clock.</summary>
    public uint RtpTimestamp { get; init; }

    public uint PacketCount { get; init; }

    public uint OctetCount { get; init; }

    public RtcpItemList<ReportBlock> ReportBlocks { get; init; }

    /// <summary>Bytes after the report blocks (a whole number of words to be writable).</summary>
    public ReadOnlySpan<byte> ProfileExtensions { get; init; }

    /// <summary>The middle 32 bits of the NTP timestamp, which receivers echo as LSR.</summary>
    public uint CompactNtpTimestamp => (uint)(NtpTimestamp >> 16);

    public static bool TryRead(ReadOnlySpan<byte> data, out SenderReport report)
    {
        report = default;
        if (!RtcpPacket.TryRead(data, RtcpPacketType.SenderReport, out RtcpHeader header, out ReadOnlySpan<byte> payload)
            || payload.Length < MinLength - RtcpHeader.EncodedLength + (header.Count * ReportBlock.EncodedLength))
        {
            return false;
        }

        int blocksEnd = 24 + (header.Count * ReportBlock.EncodedLength);
        report = new SenderReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(payload),
            NtpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(payload[4..]),
            RtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(payload[12..]),
            PacketCount = BinaryPrimitives.ReadUInt32BigEndian(payload[16..]),
            OctetCount = BinaryPrimitives.ReadUInt32BigEndian(payload[20..]),
            ReportBlocks = RtcpItemList<ReportBlock>.FromWire(payload[24..blocksEnd]),
            ProfileExtensions = payload[blocksEnd..],
        };
        return true;
    }

    public int GetEncodedLength() => MinLength + ReportBlocks.EncodedLength + ProfileExtensions.Length;

    /// <summary>False when there are more than 31 blocks, a block is out of range, the extensions are not whole
    /// words, or the destination is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (!RtcpWriter.TryWriteReport(destination, RtcpPacketType.SenderReport, MinLength, Ssrc, ReportBlocks, ProfileExtensions, out int length))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], OctetCount);
        written = length;
        return true;
    }
}
