namespace Parley.Stun.Attributes;

/// <summary>
/// REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.6, first in RFC 6156): the family of the relayed address an Allocate
/// request asks for (IPv4 when absent); in a Refresh request, which relayed address of a dual-stack allocation to
/// refresh or delete.
/// <code>
/// |     Family    |            Reserved                           |
/// </code>
/// Any family byte is read, so that a server can answer the ones it does not support with 440.
/// </summary>
public readonly record struct RequestedAddressFamily(StunAddressFamily Family) : IStunAttribute<RequestedAddressFamily>
{
    public static StunAttributeType Type => StunAttributeType.RequestedAddressFamily;

    public int ValueLength => AddressFamilyValue.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out RequestedAddressFamily attribute)
    {
        bool ok = AddressFamilyValue.TryRead(value.Span, out StunAddressFamily family);
        attribute = new RequestedAddressFamily(family);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressFamilyValue.Write(Family, destination);
}
