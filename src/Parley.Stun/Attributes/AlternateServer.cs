namespace Parley.Stun.Attributes;

/// <summary>ALTERNATE-SERVER (RFC 8489 §14.15): where a 300 (Try Alternate) response sends the client.</summary>
public readonly record struct AlternateServer(TransportAddress Address) : IStunAttribute<AlternateServer>
{
    public static StunAttributeType Type => StunAttributeType.AlternateServer;

    public int ValueLength => AddressValue.GetLength(Address);

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out AlternateServer attribute)
    {
        bool ok = AddressValue.TryRead(value.Span, out TransportAddress address);
        attribute = new AlternateServer(address);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressValue.Write(Address, destination);
}
