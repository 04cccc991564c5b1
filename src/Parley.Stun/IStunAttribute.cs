namespace Parley.Stun;

/// <summary>
/// A STUN attribute value type: read from a parsed message with <see cref="StunMessage.TryGet{T}"/> and written
/// with <see cref="StunMessageBuilder.Add{T}"/>. The transaction id is passed for the XOR-coded address attributes.
/// </summary>
public interface IStunAttribute<TSelf> where TSelf : struct, IStunAttribute<TSelf>
{
    static abstract StunAttributeType Type { get; }

    /// <summary>Decodes an unpadded attribute value; malformed values give false, never an exception.</summary>
    static abstract bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out TSelf attribute);

    /// <summary>The length of the value without padding.</summary>
    int ValueLength { get; }

    /// <summary>Writes exactly <see cref="ValueLength"/> bytes.</summary>
    void WriteValue(Span<byte> destination, in TransactionId transactionId);
}
