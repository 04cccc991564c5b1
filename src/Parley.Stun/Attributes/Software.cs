namespace Parley.Stun.Attributes;

/// <summary>SOFTWARE (RFC 8489 §14.14): a description of the software that sent the message, under 128 characters.</summary>
public readonly struct Software : IStunAttribute<Software>
{
    public const int MaxLength = TextValue.MaxTextBytes;

    /// <summary>Wraps UTF-8 bytes, for example a static array reused on every message.</summary>
    public Software(ReadOnlyMemory<byte> utf8)
    {
        Utf8 = utf8.Length <= MaxLength ? utf8 : throw new ArgumentException("The value is too long.", nameof(utf8));
    }

    public Software(string value)
        : this(TextValue.Encode(value, MaxLength, nameof(value)))
    {
    }

    public static StunAttributeType Type => StunAttributeType.Software;

    public ReadOnlyMemory<byte> Utf8 { get; }

    public int ValueLength => Utf8.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Software attribute)
    {
        attribute = value.Length <= MaxLength ? new Software(value) : default;
        return value.Length <= MaxLength;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => Utf8.Span.CopyTo(destination);

    public override string ToString() => TextValue.Decode(Utf8);
}
