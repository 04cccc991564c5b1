namespace Parley.Stun.Attributes;

/// <summary>
/// XOR-RELAYED-ADDRESS (RFC 8656 §18.5): the relayed transport address the server allocated, in an Allocate success
/// response; a dual-stack allocation (ADDITIONAL-ADDRESS-FAMILY) carries two, one per family. Encoded as
/// XOR-MAPPED-ADDRESS is (RFC 8489 §14.2).
/// </summary>
public readonly record struct XorRelayedAddress(TransportAddress Address) : IStunAttribute<XorRelayedAddress>
{
    public static StunAttributeType Type => StunAttributeType.XorRelayedAddress;

    public int ValueLength => AddressValue.GetLength(Address);

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out XorRelayedAddress attribute)
    {
        bool ok = AddressValue.TryReadXor(value.Span, transactionId, out TransportAddress address);
        attribute = new XorRelayedAddress(address);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressValue.WriteXor(Address, transactionId, destination);
}
