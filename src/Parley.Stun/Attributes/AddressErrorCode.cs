namespace Parley.Stun.Attributes;

/// <summary>
/// ADDRESS-ERROR-CODE (RFC 8656 §18.12): in a dual-stack Allocate success response, why the server could not
/// allocate a relayed address of one family (440 Address Family not Supported or 508 Insufficient Capacity) while it
/// did allocate the other. The code is coded as in ERROR-CODE, the reason phrase is UTF-8 of under 128 characters.
/// <code>
/// |     Family    |    Reserved             |Class|     Number    |
/// |      Reason Phrase (variable)                                ..
/// </code>
/// </summary>
public readonly struct AddressErrorCode : IStunAttribute<AddressErrorCode>
{
    /// <summary>An error with the RFC's reason phrase for <paramref name="code"/>.</summary>
    public AddressErrorCode(StunAddressFamily family, int code)
        : this(family, code, StunErrorCodes.GetReasonPhrase(code))
    {
    }

    public AddressErrorCode(StunAddressFamily family, int code, string reason)
        : this(family, code, TextValue.Encode(reason, TextValue.MaxTextBytes, nameof(reason)))
    {
    }

    public AddressErrorCode(StunAddressFamily family, int code, ReadOnlyMemory<byte> reasonUtf8)
    {
        Family = family;
        Code = ErrorCodeValue.ThrowIfOutOfRange(code, nameof(code));
        ReasonUtf8 = reasonUtf8.Length <= TextValue.MaxTextBytes
            ? reasonUtf8
            : throw new ArgumentException("The reason phrase is too long.", nameof(reasonUtf8));
    }

    public static StunAttributeType Type => StunAttributeType.AddressErrorCode;

    /// <summary>The family whose allocation failed; any byte is read.</summary>
    public StunAddressFamily Family { get; }

    public int Code { get; }

    public ReadOnlyMemory<byte> ReasonUtf8 { get; }

    public string Reason => TextValue.Decode(ReasonUtf8);

    public int ValueLength => 4 + ReasonUtf8.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out AddressErrorCode attribute)
    {
        attribute = default;
        ReadOnlySpan<byte> span = value.Span;
        if (span.Length < 4 || span.Length > 4 + TextValue.MaxTextBytes
            || !ErrorCodeValue.TryRead(span[2..], out int code))
        {
            return false;
        }

        attribute = new AddressErrorCode((StunAddressFamily)span[0], code, value[4..]);
        return true;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
        destination[0] = (byte)Family;
        destination[1] = 0;
        ErrorCodeValue.Write(Code, destination[2..]);
        ReasonUtf8.Span.CopyTo(destination[4..]);
    }

    public override string ToString() => $"{Family}: {Code} {Reason}";
}
