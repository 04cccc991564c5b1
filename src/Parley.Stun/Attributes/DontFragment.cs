namespace Parley.Stun.Attributes;

/// <summary>DONT-FRAGMENT (RFC 8656 §18.9): the client asks that the server set the DF bit on the datagrams it
/// relays to peers. It has no value.</summary>
public readonly record struct DontFragment : IStunAttribute<DontFragment>
{
    public static StunAttributeType Type => StunAttributeType.DontFragment;

    public int ValueLength => 0;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out DontFragment attribute)
    {
        attribute = default;
        return value.IsEmpty;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
    }
}
