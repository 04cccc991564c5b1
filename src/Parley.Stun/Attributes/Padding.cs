namespace Parley.Stun.Attributes;

/// <summary>PADDING (RFC 5780 §7.6): filler that makes a message larger, to test fragmentation; its content is
/// ignored and written as zeros.</summary>
public readonly record struct Padding(int Length) : IStunAttribute<Padding>
{
    public static StunAttributeType Type => StunAttributeType.Padding;

    public int ValueLength => Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Padding attribute)
    {
        attribute = new Padding(value.Length);
        return true;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => destination[..Length].Clear();
}
