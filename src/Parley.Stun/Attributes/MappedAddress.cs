namespace Parley.Stun.Attributes;

/// <summary>MAPPED-ADDRESS (RFC 8489 §14.1): the reflexive address, unobfuscated; kept for RFC 3489 clients.</summary>
public readonly record struct MappedAddress(TransportAddress Address) : IStunAttribute<MappedAddress>
{
    public static StunAttributeType Type => StunAttributeType.MappedAddress;

    public int ValueLength => AddressValue.GetLength(Address);

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out MappedAddress attribute)
    {
        bool ok = AddressValue.TryRead(value.Span, out TransportAddress address);
        attribute = new MappedAddress(address);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressValue.Write(Address, destination);
}
