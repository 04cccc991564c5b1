using System.Net;
using System.Net.Sockets;

namespace Parley.Sockets.Tests;

/// <summary>A UDP socket on 127.0.0.1 with a kernel-chosen port, and helpers to read what arrives.</summary>
internal sealed class LoopbackUdp : IDisposable
{
    public LoopbackUdp()
    {
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Socket.ReceiveTimeout = 2000;
    }

    public Socket Socket { get; }

    public IPEndPoint EndPoint => (IPEndPoint)Socket.LocalEndPoint!;

    public SocketAddress Address => EndPoint.Serialize();

    /// <summary>The next datagram, or null when none arrives within the receive timeout.</summary>
    public byte[]? Receive()
    {
        byte[] buffer = new byte[65536];
        try
        {
            int length = Socket.Receive(buffer);
            return buffer[..length];
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    public void Dispose() => Socket.Dispose();
}
