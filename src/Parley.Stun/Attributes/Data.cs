namespace Parley.Stun.Attributes;

/// <summary>
/// DATA (RFC 8656 §18.4): the application data of a Send or Data indication, that is, the payload of the UDP
/// datagram relayed to or from the peer. A view over the message's bytes: nothing is copied on reading.
/// </summary>
public readonly struct Data : IStunAttribute<Data>
{
    /// <summary>The most an attribute's 16-bit length can describe; the message header limits it further.</summary>
    public const int MaxLength = ushort.MaxValue;

    public Data(ReadOnlyMemory<byte> bytes)
    {
        Bytes = bytes.Length <= MaxLength ? bytes : throw new ArgumentException("The data is too long.", nameof(bytes));
    }

    public static StunAttributeType Type => StunAttributeType.Data;

    public ReadOnlyMemory<byte> Bytes { get; }

    public int ValueLength => Bytes.Length;

    /// <summary>Any length is valid, empty included.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Data attribute)
    {
        attribute = new Data(value);
        return true;
    }

    /// <summary>Writes DATA straight from a span (a datagram just received from a peer, say), without wrapping it
    /// in memory first.</summary>
    public static void WriteTo(ref StunMessageBuilder builder, scoped ReadOnlySpan<byte> bytes) => builder.AddRaw(Type, bytes);

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => Bytes.Span.CopyTo(destination);

    public override string ToString() => $"DATA ({Bytes.Length} bytes)";
}
