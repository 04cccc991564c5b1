namespace Parley.Stun.Attributes;

/// <summary>USE-CANDIDATE (RFC 8445 §7.1.2): the controlling agent nominates this pair. It has no value.</summary>
public readonly record struct UseCandidate : IStunAttribute<UseCandidate>
{
    public static StunAttributeType Type => StunAttributeType.UseCandidate;

    public int ValueLength => 0;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out UseCandidate attribute)
    {
        attribute = default;
        return value.IsEmpty;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
    }
}
