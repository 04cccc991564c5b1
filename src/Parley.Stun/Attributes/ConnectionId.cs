using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>CONNECTION-ID (RFC 6062 §6.2.1): the server's 32-bit name for a TCP connection with a peer, in the
/// Connect success response and the ConnectionAttempt indication, and echoed by the client's ConnectionBind request
/// on the new data connection.</summary>
public readonly record struct ConnectionId(uint Value) : IStunAttribute<ConnectionId>
{
    public static StunAttributeType Type => StunAttributeType.ConnectionId;

    public int ValueLength => 4;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out ConnectionId attribute)
    {
        bool ok = value.Length == 4;
        attribute = ok ? new ConnectionId(BinaryPrimitives.ReadUInt32BigEndian(value.Span)) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, Value);
}
