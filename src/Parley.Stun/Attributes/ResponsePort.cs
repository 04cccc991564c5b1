using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>RESPONSE-PORT (RFC 5780 §7.5): the port, on the client's reflexive address, that the response should go to.
/// A 16-bit port followed by two bytes of padding.</summary>
public readonly record struct ResponsePort(ushort Port) : IStunAttribute<ResponsePort>
{
    public static StunAttributeType Type => StunAttributeType.ResponsePort;

    public int ValueLength => 4;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out ResponsePort attribute)
    {
        bool ok = value.Length == 4;
        attribute = ok ? new ResponsePort(BinaryPrimitives.ReadUInt16BigEndian(value.Span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Port);
        destination[2..4].Clear();
    }
}
