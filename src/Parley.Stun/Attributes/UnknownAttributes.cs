using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): in a 420 response, the comprehension-required attribute types
/// the server did not understand, 16 bits each.</summary>
public readonly struct UnknownAttributes : IStunAttribute<UnknownAttributes>
{
    private readonly ReadOnlyMemory<byte> _raw;

    private UnknownAttributes(ReadOnlyMemory<byte> raw) => _raw = raw;

    public UnknownAttributes(params ReadOnlySpan<StunAttributeType> types)
    {
        var raw = new byte[types.Length * 2];
        for (int i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(i * 2), (ushort)types[i]);
        }

        _raw = raw;
    }

    public static StunAttributeType Type => StunAttributeType.UnknownAttributes;

    public int Count => _raw.Length / 2;

    public StunAttributeType this[int index] =>
        (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(_raw.Span.Slice(index * 2, 2));

    public int ValueLength => _raw.Length;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out UnknownAttributes attribute)
    {
        bool ok = value.Length % 2 == 0;
        attribute = ok ? new UnknownAttributes(value) : default;
        return ok;
    }

    /// <summary>Writes the types straight from a span, for a response built without allocating.</summary>
    public static void WriteTo(ref StunMessageBuilder builder, scoped ReadOnlySpan<StunAttributeType> types)
    {
        Span<byte> raw = stackalloc byte[types.Length * 2];
        for (int i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(raw[(i * 2)..], (ushort)types[i]);
        }

        builder.AddRaw(Type, raw);
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => _raw.Span.CopyTo(destination);
}
