namespace Parley.Stun.Attributes;

/// <summary>USERNAME (RFC 8489 §14.3): the user name, UTF-8, under 513 bytes, already prepared by the OpaqueString/SASLprep rules (see <see cref="StunCredentials"/>).</summary>
public readonly struct Username : IStunAttribute<Username>
{
    public const int MaxLength = 512;

    /// <summary>Wraps UTF-8 bytes, for example a static array reused on every message.</summary>
    public Username(ReadOnlyMemory<byte> utf8)
    {
        Utf8 = utf8.Length <= MaxLength ? utf8 : throw new ArgumentException("The value is too long.", nameof(utf8));
    }

    public Username(string value)
        : this(TextValue.Encode(value, MaxLength, nameof(value)))
    {
    }

    public static StunAttributeType Type => StunAttributeType.Username;

    public ReadOnlyMemory<byte> Utf8 { get; }

    public int ValueLength => Utf8.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Username attribute)
    {
        attribute = value.Length <= MaxLength ? new Username(value) : default;
        return value.Length <= MaxLength;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => Utf8.Span.CopyTo(destination);

    public override string ToString() => TextValue.Decode(Utf8);
}
