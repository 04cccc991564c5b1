using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>PRIORITY (RFC 8445 §7.1.1): the priority a peer-reflexive candidate learnt from this check would get.</summary>
public readonly record struct Priority(uint Value) : IStunAttribute<Priority>
{
    public static StunAttributeType Type => StunAttributeType.Priority;

    public int ValueLength => 4;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Priority attribute)
    {
        bool ok = value.Length == 4;
        attribute = ok ? new Priority(BinaryPrimitives.ReadUInt32BigEndian(value.Span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, Value);
}
