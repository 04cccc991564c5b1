using System.Net;
using System.Net.Sockets;

namespace Parley.Bench.Stun;

/// <summary>Finds free loopback ports by binding to port 0, and holds them until disposed.</summary>
internal sealed class PortHolder : IDisposable
{
    private readonly List<Socket> _sockets = [];

    public int Udp() => Hold(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));

    public int Tcp() => Hold(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    public void Dispose()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
    }

    private int Hold(Socket socket)
    {
        _sockets.Add(socket);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
