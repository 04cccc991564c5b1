using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Parley.Stun;

/// <summary>
/// An IP address and port held by value, so that the packet path can read a sender from a
/// <see cref="SocketAddress"/> and write it into an attribute without allocating an <see cref="IPEndPoint"/>.
/// IPv4 addresses use the low 32 bits of <see cref="Address"/>; IPv6 addresses all 128, most significant byte first.
/// </summary>
public readonly record struct TransportAddress(AddressFamily Family, UInt128 Address, ushort Port)
{
    public bool IsIPv4 => Family == AddressFamily.InterNetwork;

    /// <summary>4 for IPv4, 16 for IPv6.</summary>
    public int AddressLength => IsIPv4 ? 4 : 16;

    public static TransportAddress FromIPEndPoint(IPEndPoint endPoint) => FromIPAddress(endPoint.Address, (ushort)endPoint.Port);

    public static TransportAddress FromIPAddress(IPAddress address, ushort port)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            throw new ArgumentException("The address could not be written.", nameof(address));
        }

        return FromAddressBytes(bytes[..written], port);
    }

    /// <summary>Builds an address from 4 (IPv4) or 16 (IPv6) bytes in network order.</summary>
    public static TransportAddress FromAddressBytes(ReadOnlySpan<byte> bytes, ushort port) => bytes.Length switch
    {
        4 => new(AddressFamily.InterNetwork, BinaryPrimitives.ReadUInt32BigEndian(bytes), port),
        16 => new(AddressFamily.InterNetworkV6, BinaryPrimitives.ReadUInt128BigEndian(bytes), port),
        _ => throw new ArgumentException("An IP address is 4 or 16 bytes long.", nameof(bytes)),
    };

    /// <summary>Reads a native sockaddr_in or sockaddr_in6 as filled in by a socket receive call.</summary>
    public static bool TryFromSocketAddress(SocketAddress socketAddress, out TransportAddress address)
    {
        ReadOnlySpan<byte> raw = socketAddress.Buffer.Span[..socketAddress.Size];
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork when raw.Length >= 8:
                address = new(AddressFamily.InterNetwork, BinaryPrimitives.ReadUInt32BigEndian(raw[4..]),
                    BinaryPrimitives.ReadUInt16BigEndian(raw[2..]));
                return true;
            case AddressFamily.InterNetworkV6 when raw.Length >= 24:
                address = new(AddressFamily.InterNetworkV6, BinaryPrimitives.ReadUInt128BigEndian(raw[8..]),
                    BinaryPrimitives.ReadUInt16BigEndian(raw[2..]));
                return true;
            default:
                address = default;
                return false;
        }
    }

    /// <summary>Writes the address and port into a <see cref="SocketAddress"/> of the same family.</summary>
    public void WriteTo(SocketAddress socketAddress)
    {
        if (socketAddress.Family != Family)
        {
            throw new ArgumentException("The socket address has another family.", nameof(socketAddress));
        }

        Span<byte> raw = socketAddress.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(raw[2..], Port);
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(raw[4..], (uint)Address);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(raw[4..], 0); // flow info
            BinaryPrimitives.WriteUInt128BigEndian(raw[8..], Address);
            BinaryPrimitives.WriteUInt32BigEndian(raw[24..], 0); // scope id
        }
    }

    /// <summary>Writes the 4 or 16 address bytes in network order.</summary>
    public void WriteAddressBytes(Span<byte> destination)
    {
        if (IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)Address);
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, Address);
        }
    }

    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteAddressBytes(bytes);
        return new IPAddress(bytes[..AddressLength]);
    }

    public IPEndPoint ToIPEndPoint() => new(ToIPAddress(), Port);

    public TransportAddress WithPort(ushort port) => this with { Port = port };

    public override string ToString() => ToIPEndPoint().ToString();
}
