using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// A receiver report, RR (RFC 3550 §6.4.2): the reporter's SSRC, up to 31 reception report blocks, then optional
/// profile-specific extensions. A view over the bytes it was read from, or parts given for writing.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 report blocks (24 bytes each)                 |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                  profile-specific extensions                  |
/// </code>
/// </summary>
public readonly ref struct ReceiverReport : IWireEncodable
{
    /// <summary>Header and SSRC.</summary>
    public const int MinLength = 8;

    public uint Ssrc { get; init; }

    public RtcpItemList<ReportBlock> ReportBlocks { get; init; }

    /// <summary>Bytes after the report blocks (a whole number of words to be writable).</summary>
    public ReadOnlySpan<byte> ProfileExtensions { get; init; }

    public static bool TryRead(ReadOnlySpan<byte> data, out ReceiverReport report)
    {
        report = default;
        if (!RtcpPacket.TryRead(data, RtcpPacketType.ReceiverReport, out RtcpHeader header, out ReadOnlySpan<byte> payload)
            || payload.Length < MinLength - RtcpHeader.EncodedLength + (header.Count * ReportBlock.EncodedLength))
        {
            return false;
        }

        int blocksEnd = 4 + (header.Count * ReportBlock.EncodedLength);
        report = new ReceiverReport
        {
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(payload),
            ReportBlocks = RtcpItemList<ReportBlock>.FromWire(payload[4..blocksEnd]),
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
        if (!RtcpWriter.TryWriteReport(destination, RtcpPacketType.ReceiverReport, MinLength, Ssrc, ReportBlocks, ProfileExtensions, out int length))
        {
            return false;
        }

        written = length;
        return true;
    }
}
