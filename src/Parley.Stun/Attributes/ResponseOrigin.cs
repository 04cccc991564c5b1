namespace Parley.Stun.Attributes;

/// <summary>RESPONSE-ORIGIN (RFC 5780 §7.3): the address and port the response was sent from.</summary>
public readonly record struct ResponseOrigin(TransportAddress Address) : IStunAttribute<ResponseOrigin>
{
    public static StunAttributeType Type => StunAttributeType.ResponseOrigin;

    public int ValueLength => AddressValue.GetLength(Address);

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out ResponseOrigin attribute)
    {
        bool ok = AddressValue.TryRead(value.Span, out TransportAddress address);
        attribute = new ResponseOrigin(address);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressValue.Write(Address, destination);
}
