namespace Parley.Stun.Attributes;

/// <summary>
/// ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11): in an Allocate request, asks for a second relayed address of this
/// family besides the IPv4 one (a dual-stack allocation); only <see cref="StunAddressFamily.IPv6"/> is meaningful.
/// Same format as REQUESTED-ADDRESS-FAMILY; any family byte is read and left to the server to refuse.
/// </summary>
public readonly record struct AdditionalAddressFamily(StunAddressFamily Family) : IStunAttribute<AdditionalAddressFamily>
{
    public static StunAttributeType Type => StunAttributeType.AdditionalAddressFamily;

    public int ValueLength => AddressFamilyValue.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out AdditionalAddressFamily attribute)
    {
        bool ok = AddressFamilyValue.TryRead(value.Span, out StunAddressFamily family);
        attribute = new AdditionalAddressFamily(family);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressFamilyValue.Write(Family, destination);
}
