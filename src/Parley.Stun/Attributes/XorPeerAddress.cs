namespace Parley.Stun.Attributes;

/// <summary>
/// XOR-PEER-ADDRESS (RFC 8656 §18.3): a peer's transport address as the TURN server sees it, in CreatePermission
/// and ChannelBind requests, Send and Data indications, and the RFC 6062 Connect request and ConnectionAttempt
/// indication. Encoded as XOR-MAPPED-ADDRESS is (RFC 8489 §14.2): the port xored with the cookie's top 16 bits, an
/// IPv4 address with the cookie, an IPv6 address with the cookie followed by the transaction id.
/// </summary>
public readonly record struct XorPeerAddress(TransportAddress Address) : IStunAttribute<XorPeerAddress>
{
    public static StunAttributeType Type => StunAttributeType.XorPeerAddress;

    public int ValueLength => AddressValue.GetLength(Address);

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out XorPeerAddress attribute)
    {
        bool ok = AddressValue.TryReadXor(value.Span, transactionId, out TransportAddress address);
        attribute = new XorPeerAddress(address);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => AddressValue.WriteXor(Address, transactionId, destination);
}
