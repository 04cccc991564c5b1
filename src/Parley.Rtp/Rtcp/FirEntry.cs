using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// One FCI entry of a full intra request (RFC 5104 §4.3.1.1): the source asked for a decoder refresh point and the
/// command sequence number, which the requester increments for each new request (repeats of one request keep it).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Seq nr.       |    Reserved                                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The reserved bits are written as zero and ignored when read.
/// </summary>
public readonly record struct FirEntry(uint Ssrc, byte SequenceNumber) : IRtcpFixedItem<FirEntry>
{
    public static int EncodedLength => 8;

    public static bool TryRead(ReadOnlySpan<byte> data, out FirEntry item)
    {
        bool ok = data.Length == EncodedLength;
        item = ok ? new FirEntry(BinaryPrimitives.ReadUInt32BigEndian(data), data[4]) : default;
        return ok;
    }

    public int GetEncodedLength() => EncodedLength;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < EncodedLength)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)SequenceNumber << 24);
        written = EncodedLength;
        return true;
    }
}
