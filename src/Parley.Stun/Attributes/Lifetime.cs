using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// LIFETIME (RFC 8656 §18.2): the seconds an allocation has left before it expires, as the client asks for in
/// Allocate and Refresh requests (0 in a Refresh deletes the allocation) and the server grants in their responses.
/// </summary>
public readonly record struct Lifetime(uint Seconds) : IStunAttribute<Lifetime>
{
    public static StunAttributeType Type => StunAttributeType.Lifetime;

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    public int ValueLength => 4;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out Lifetime attribute)
    {
        bool ok = value.Length == 4;
        attribute = ok ? new Lifetime(BinaryPrimitives.ReadUInt32BigEndian(value.Span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, Seconds);
}
