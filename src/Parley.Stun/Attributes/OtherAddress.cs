namespace Parley.Stun.Attributes;

/// <summary>OTHER-ADDRESS (RFC 5780 §7.4): the server's alternate address and port, differing from the ones the request reached in both.</summary>
public readonly record struct OtherAddress(TransportAddress Address) : IStunAttribute<OtherAddress>
{
    public static StunAttributeType Type => StunAttributeType.OtherAddress;

    public int ValueLength => AddressValue.GetLength(Address);

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out OtherAddress attribute)
    {
        bool ok = AddressValue.TryRead(value.Span, out TransportAddress address);
        attribute = new OtherAddress(address);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressValue.Write(Address, destination);
}
