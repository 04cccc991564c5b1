namespace Parley.Stun.Attributes;

/// <summary>REALM (RFC 8489 §14.9): the realm of long-term credentials, under 128 characters.</summary>
public readonly struct Realm : IStunAttribute<Realm>
{
    public const int MaxLength = TextValue.MaxTextBytes;

    /// <summary>Wraps UTF-8 bytes, for example a static array reused on every message.</summary>
    public Realm(ReadOnlyMemory<byte> utf8)
    {
        Utf8 = utf8.Length <= MaxLength ? utf8 : throw new ArgumentException("The value is too long.", nameof(utf8));
    }

    public Realm(string value)
        : this(TextValue.Encode(value, MaxLength, nameof(value)))
    {
    }

    public static StunAttributeType Type => StunAttributeType.Realm;

    public ReadOnlyMemory<byte> Utf8 { get; }

    public int ValueLength => Utf8.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Realm attribute)
    {
        attribute = value.Length <= MaxLength ? new Realm(value) : default;
        return value.Length <= MaxLength;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => Utf8.Span.CopyTo(destination);

    public override string ToString() => TextValue.Decode(Utf8);
}
