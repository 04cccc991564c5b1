using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>ICE-CONTROLLING (RFC 8445 §7.1.3): the sender believes it is the controlling agent; the value is its
/// 64-bit tie-breaker for role conflicts.</summary>
public readonly record struct IceControlling(ulong TieBreaker) : IStunAttribute<IceControlling>
{
    public static StunAttributeType Type => StunAttributeType.IceControlling;

    public int ValueLength => 8;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out IceControlling attribute)
    {
        bool ok = value.Length == 8;
        attribute = ok ? new IceControlling(BinaryPrimitives.ReadUInt64BigEndian(value.Span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, TieBreaker);
}
