using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// ICMP (RFC 8656 §18.13): in a Data indication, the ICMP error a relayed datagram to the peer drew, so that the
/// client learns of unreachable peers and path MTUs. Eight bytes.
/// <code>
/// |           Reserved            |   ICMP Type   |   ICMP Code   |
/// |                          Error Data                           |
/// </code>
/// The RFC's figure draws the type over 7 bits and the code over 9, but its text and ICMP itself (RFC 792,
/// RFC 4443) make each one byte; they are read and written as the two bytes after the reserved ones. The type and
/// code are ICMPv4's or ICMPv6's according to the family of XOR-PEER-ADDRESS. Error Data is the next-hop MTU for
/// "packet too big" (ICMPv6 type 2) and "fragmentation needed" (ICMPv4 type 3, code 4), and zero otherwise.
/// </summary>
public readonly record struct Icmp(byte IcmpType, byte IcmpCode, uint ErrorData) : IStunAttribute<Icmp>
{
    public static StunAttributeType Type => StunAttributeType.Icmp;

    public int ValueLength => 8;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Icmp attribute)
    {
        ReadOnlySpan<byte> span = value.Span;
        bool ok = span.Length == 8;
        attribute = ok ? new Icmp(span[2], span[3], BinaryPrimitives.ReadUInt32BigEndian(span[4..])) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, 0);
        destination[2] = IcmpType;
        destination[3] = IcmpCode;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ErrorData);
    }
}
