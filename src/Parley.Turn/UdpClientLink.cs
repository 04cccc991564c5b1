using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Sockets;

namespace Parley.Turn;

/// <summary>A client reached over UDP: replies leave from the listening socket its requests reached.</summary>
internal sealed class UdpClientLink : ITurnClientLink
{
    private readonly Socket _socket;
    private readonly SocketAddress _address;

    public UdpClientLink(Socket socket, SocketAddress address, TransportAddress remote)
    {
        _socket = socket;
        _address = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(_address.Buffer.Span);
        Remote = remote;
    }

    public TransportAddress Remote { get; }

    /// <summary>The listening socket answers leave from, and the client's address: what a <see cref="SendBatch"/>
    /// needs.</summary>
    public Socket Socket => _socket;

    public SocketAddress Address => _address;

    public bool IsStream => false;

    public bool SendDatagram(ReadOnlySpan<byte> message) => Send(message);

    public bool Send(ReadOnlySpan<byte> message)
    {
        // A full buffer or an ICMP error loses the datagram, as UDP may; only a closed socket ends the link.
        NativeUdp.SendTo(_socket, message, _address, out bool closed);
        return !closed;
    }
}
