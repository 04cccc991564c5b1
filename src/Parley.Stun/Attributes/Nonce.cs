namespace Parley.Stun.Attributes;

/// <summary>NONCE (RFC 8489 §14.10): the server's nonce for long-term credentials, under 128 characters.</summary>
public readonly struct Nonce : IStunAttribute<Nonce>
{
    public const int MaxLength = TextValue.MaxTextBytes;

    /// <summary>Wraps UTF-8 bytes, for example a static array reused on every message.</summary>
    public Nonce(ReadOnlyMemory<byte> utf8)
    {
        Utf8 = utf8.Length <= MaxLength ? utf8 : throw new ArgumentException("The value is too long.", nameof(utf8));
    }

    public Nonce(string value)
        : this(TextValue.Encode(value, MaxLength, nameof(value)))
    {
    }

    public static StunAttributeType Type => StunAttributeType.Nonce;

    public ReadOnlyMemory<byte> Utf8 { get; }

    public int ValueLength => Utf8.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Nonce attribute)
    {
        attribute = value.Length <= MaxLength ? new Nonce(value) : default;
        return value.Length <= MaxLength;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => Utf8.Span.CopyTo(destination);

    public override string ToString() => TextValue.Decode(Utf8);
}
