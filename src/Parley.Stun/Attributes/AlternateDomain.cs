namespace Parley.Stun.Attributes;

/// <summary>ALTERNATE-DOMAIN (RFC 8489 §14.16): the domain name of the ALTERNATE-SERVER, for TLS certificate checks.</summary>
public readonly struct AlternateDomain : IStunAttribute<AlternateDomain>
{
    public const int MaxLength = 255;

    /// <summary>Wraps UTF-8 bytes, for example a static array reused on every message.</summary>
    public AlternateDomain(ReadOnlyMemory<byte> utf8)
    {
        Utf8 = utf8.Length <= MaxLength ? utf8 : throw new ArgumentException("The value is too long.", nameof(utf8));
    }

    public AlternateDomain(string value)
        : this(TextValue.Encode(value, MaxLength, nameof(value)))
    {
    }

    public static StunAttributeType Type => StunAttributeType.AlternateDomain;

    public ReadOnlyMemory<byte> Utf8 { get; }

    public int ValueLength => Utf8.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out AlternateDomain attribute)
    {
        attribute = value.Length <= MaxLength ? new AlternateDomain(value) : default;
        return value.Length <= MaxLength;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => Utf8.Span.CopyTo(destination);

    public override string ToString() => TextValue.Decode(Utf8);
}
