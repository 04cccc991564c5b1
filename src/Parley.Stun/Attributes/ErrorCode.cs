using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// ERROR-CODE (RFC 8489 §14.8): a code from 300 to 699 and a UTF-8 reason phrase of under 128 characters.
/// <code>
/// |           Reserved, should be 0         |Class|     Number    |
/// |      Reason Phrase (variable)                                ..
/// </code>
/// </summary>
public readonly struct ErrorCode : IStunAttribute<ErrorCode>
{
    /// <summary>An error with the RFC's reason phrase for <paramref name="code"/>.</summary>
    public ErrorCode(int code)
        : this(code, StunErrorCodes.GetReasonPhrase(code))
    {
    }

    public ErrorCode(int code, string reason)
        : this(code, TextValue.Encode(reason, TextValue.MaxTextBytes, nameof(reason)))
    {
    }

    public ErrorCode(int code, ReadOnlyMemory<byte> reasonUtf8)
    {
        Code = ErrorCodeValue.ThrowIfOutOfRange(code, nameof(code));
        ReasonUtf8 = reasonUtf8.Length <= TextValue.MaxTextBytes
            ? reasonUtf8
            : throw new ArgumentException("The reason phrase is too long.", nameof(reasonUtf8));
    }

    public static StunAttributeType Type => StunAttributeType.ErrorCode;

    public int Code { get; }

    public ReadOnlyMemory<byte> ReasonUtf8 { get; }

    public string Reason => TextValue.Decode(ReasonUtf8);

    public int ValueLength => 4 + ReasonUtf8.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out ErrorCode attribute)
    {
        attribute = default;
        ReadOnlySpan<byte> span = value.Span;
        if (span.Length < 4 || span.Length > 4 + TextValue.MaxTextBytes)
        {
            return false;
        }

        if (!ErrorCodeValue.TryRead(span[2..], out int code))
        {
            return false;
        }

        attribute = new ErrorCode(code, value[4..]);
        return true;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, 0);
        ErrorCodeValue.Write(Code, destination[2..]);
        ReasonUtf8.Span.CopyTo(destination[4..]);
    }

    public override string ToString() => $"{Code} {Reason}";
}
