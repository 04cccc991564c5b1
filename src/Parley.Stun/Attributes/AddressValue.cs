using System.Buffers.Binary;
using System.Net.Sockets;

namespace Parley.Stun.Attributes;

/// <summary>
/// The address format shared by MAPPED-ADDRESS and its relatives (RFC 8489 §14.1), and its XOR form (§14.2):
/// <code>
/// |0 0 0 0 0 0 0 0|    Family     |           Port                |
/// |                 Address (32 bits or 128 bits)                 |
/// </code>
/// </summary>
internal static class AddressValue
{
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    public static int GetLength(in TransportAddress address) => 4 + address.AddressLength;

    public static bool TryRead(ReadOnlySpan<byte> value, out TransportAddress address)
    {
        address = default;
        if (value.Length < 4)
        {
            return false;
        }

        ushort port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        switch (value[1])
        {
            case FamilyIPv4 when value.Length == 8:
                address = new(AddressFamily.InterNetwork, BinaryPrimitives.ReadUInt32BigEndian(value[4..]), port);
                return true;
            case FamilyIPv6 when value.Length == 20:
                address = new(AddressFamily.InterNetworkV6, BinaryPrimitives.ReadUInt128BigEndian(value[4..]), port);
                return true;
            default:
                return false;
        }
    }

    public static void Write(in TransportAddress address, Span<byte> destination)
    {
        destination[0] = 0;
        destination[1] = address.IsIPv4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], address.Port);
        address.WriteAddressBytes(destination[4..]);
    }

    public static bool TryReadXor(ReadOnlySpan<byte> value, in TransactionId transactionId, out TransportAddress address)
    {
        if (!TryRead(value, out TransportAddress xored))
        {
            address = default;
            return false;
        }

        address = Xor(xored, transactionId);
        return true;
    }

    public static void WriteXor(in TransportAddress address, in TransactionId transactionId, Span<byte> destination) =>
        Write(Xor(address, transactionId), destination);

    /// <summary>X-Port is xored with the cookie's top 16 bits; an IPv4 address with the cookie, an IPv6 one with
    /// the cookie followed by the transaction id. The operation is its own inverse.</summary>
    private static TransportAddress Xor(in TransportAddress address, in TransactionId transactionId)
    {
        ushort port = (ushort)(address.Port ^ (StunMessage.MagicCookie >> 16));
        if (address.IsIPv4)
        {
            return address with { Address = (uint)address.Address ^ StunMessage.MagicCookie, Port = port };
        }

        Span<byte> key = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(key, StunMessage.MagicCookie);
        transactionId.WriteTo(key[4..]);
        return address with { Address = address.Address ^ BinaryPrimitives.ReadUInt128BigEndian(key), Port = port };
    }
}
