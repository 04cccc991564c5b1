namespace Parley.Stun.Attributes;

/// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the client's reflexive transport address, xored so that NATs rewriting addresses in payloads cannot touch it.</summary>
public readonly record struct XorMappedAddress(TransportAddress Address) : IStunAttribute<XorMappedAddress>
{
    public static StunAttributeType Type => StunAttributeType.XorMappedAddress;

    public int ValueLength => AddressValue.GetLength(Address);

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out XorMappedAddress attribute)
    {
        bool ok = AddressValue.TryReadXor(value.Span, transactionId, out TransportAddress address);
        attribute = new XorMappedAddress(address);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressValue.WriteXor(Address, transactionId, destination);
}
