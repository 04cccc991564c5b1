using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// REQUESTED-TRANSPORT (RFC 8656 §18.8): the transport protocol between the server and the peers, in an Allocate
/// request: <see cref="IpProtocol.Udp"/>, or <see cref="IpProtocol.Tcp"/> for an RFC 6062 TCP allocation.
/// <code>
/// |    Protocol   |                    RFFU                       |
/// </code>
/// Any protocol number is read, so that a server can answer the ones it does not relay with 442.
/// </summary>
public readonly record struct RequestedTransport(IpProtocol Protocol) : IStunAttribute<RequestedTransport>
{
    public static StunAttributeType Type => StunAttributeType.RequestedTransport;

    public int ValueLength => 4;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out RequestedTransport attribute)
    {
        bool ok = value.Length == 4;
        attribute = ok ? new RequestedTransport((IpProtocol)value.Span[0]) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Protocol << 24);
}
