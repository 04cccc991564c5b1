using System.Buffers.Binary;

namespace Parley.Stun.Attributes;

/// <summary>
/// CHANGE-REQUEST (RFC 5780 §7.2): asks the server to answer from its other IP address (A flag, 0x4) and/or its
/// other port (B flag, 0x2), for NAT filtering discovery.
/// </summary>
public readonly record struct ChangeRequest(bool ChangeIp, bool ChangePort) : IStunAttribute<ChangeRequest>
{
    private const uint ChangeIpFlag = 0x4;
    private const uint ChangePortFlag = 0x2;

    public static StunAttributeType Type => StunAttributeType.ChangeRequest;

    public int ValueLength => 4;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out ChangeRequest attribute)
    {
        bool ok = value.Length == 4;
        uint flags = ok ? BinaryPrimitives.ReadUInt32BigEndian(value.Span) : 0;
        attribute = new ChangeRequest((flags & ChangeIpFlag) != 0, (flags & ChangePortFlag) != 0);
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, (ChangeIp ? ChangeIpFlag : 0) | (ChangePort ? ChangePortFlag : 0));
}
