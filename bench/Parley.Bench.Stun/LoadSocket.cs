using System.Net;
using System.Net.Sockets;

namespace Parley.Bench.Stun;

/// <summary>The client sockets of the load runs.</summary>
internal static class LoadSocket
{
    /// <summary>Deep enough that answers are never dropped at the client because its thread was descheduled.</summary>
    private const int ReceiveBufferBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A UDP socket on 127.0.0.1 connected to the server: the kernel then caches the route instead of looking it up
    /// for every datagram, and delivers only datagrams whose source is the server's endpoint (the start-up probe,
    /// unconnected, checks that the server answers from there).
    /// </summary>
    public static Socket Open(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = ReceiveBufferBytes;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Connect(server);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
