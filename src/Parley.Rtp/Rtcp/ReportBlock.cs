using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// A reception report block of an SR or RR (RFC 3550 §6.4.1): what one receiver saw of one source.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The cumulative loss is a signed 24-bit number (duplicates can make it negative, RFC 3550 §A.3); the fraction
/// lost is a fixed-point fraction with the point at the left; DLSR is in units of 1/65536 s.
/// </summary>
public readonly record struct ReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint HighestSequenceNumber,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport) : IRtcpFixedItem<ReportBlock>
{
    public const int MinCumulativeLost = -(1 << 23);
    public const int MaxCumulativeLost = (1 << 23) - 1;

    public static int EncodedLength => 24;

    public static bool TryRead(ReadOnlySpan<byte> data, out ReportBlock item)
    {
        item = default;
        if (data.Length != EncodedLength)
        {
            return false;
        }

        int lost = (data[5] << 16) | (data[6] << 8) | data[7];
        item = new ReportBlock(
            Ssrc: BinaryPrimitives.ReadUInt32BigEndian(data),
            FractionLost: data[4],
            CumulativeLost: (lost << 8) >> 8,
            HighestSequenceNumber: BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            Jitter: BinaryPrimitives.ReadUInt32BigEndian(data[12..]),
            LastSenderReport: BinaryPrimitives.ReadUInt32BigEndian(data[16..]),
            DelaySinceLastSenderReport: BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        return true;
    }

    public int GetEncodedLength() => EncodedLength;

    /// <summary>False when the cumulative loss does not fit 24 bits or the destination is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (CumulativeLost is < MinCumulativeLost or > MaxCumulativeLost || destination.Length < EncodedLength)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)CumulativeLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], HighestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
        written = EncodedLength;
        return true;
    }
}
