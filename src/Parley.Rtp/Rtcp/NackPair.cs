using System.Buffers.Binary;
using System.Numerics;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// One FCI entry of a generic NACK (RFC 4585 §6.2.1): the packet id (PID) of a lost packet and a bitmask of
/// following lost packets (BLP), whose bit i (least significant first) reports PID + i + 1.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct NackPair(ushort PacketId, ushort LostBitmask) : IRtcpFixedItem<NackPair>
{
    public static int EncodedLength => 4;

    /// <summary>How many packets this entry reports lost: the PID and one per BLP bit.</summary>
    public int LostCount => 1 + BitOperations.PopCount(LostBitmask);

    public static bool TryRead(ReadOnlySpan<byte> data, out NackPair item)
    {
        bool ok = data.Length == EncodedLength;
        item = ok
            ? new NackPair(BinaryPrimitives.ReadUInt16BigEndian(data), BinaryPrimitives.ReadUInt16BigEndian(data[2..]))
            : default;
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

        BinaryPrimitives.WriteUInt16BigEndian(destination, PacketId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], LostBitmask);
        written = EncodedLength;
        return true;
    }

    /// <summary>Writes the lost sequence numbers in order; the destination must hold <see cref="LostCount"/>.</summary>
    public int CopyLostTo(Span<ushort> destination)
    {
        int count = 0;
        destination[count++] = PacketId;
        for (int bit = 0; bit < 16; bit++)
        {
            if ((LostBitmask & (1 << bit)) != 0)
            {
                destination[count++] = (ushort)(PacketId + bit + 1);
            }
        }

        return count;
    }
}
