using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>PASSWORD-ALGORITHM (RFC 8489 §14.12): the algorithm the client chose from the server's list.
/// Both defined algorithms have empty parameters.</summary>
public readonly record struct PasswordAlgorithm(StunPasswordAlgorithm Algorithm) : IStunAttribute<PasswordAlgorithm>
{
    public static StunAttributeType Type => StunAttributeType.PasswordAlgorithm;

    public int ValueLength => 4;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out PasswordAlgorithm attribute)
    {
        ReadOnlySpan<byte> span = value.Span;
        bool ok = span.Length >= 4 && BinaryPrimitives.ReadUInt16BigEndian(span[2..]) == span.Length - 4;
        attribute = ok ? new PasswordAlgorithm((StunPasswordAlgorithm)BinaryPrimitives.ReadUInt16BigEndian(span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Algorithm);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
    }
}
