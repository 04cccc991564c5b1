using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Parley.Turn;

/// <summary>
/// Binds relay sockets in the configured port range (coturn's min-port/max-port), from a random starting point, and
/// holds ports reserved by EVEN-PORT with the R bit until their RESERVATION-TOKEN is claimed or 30 s pass
/// (RFC 8656 §7.2).
/// </summary>
internal sealed class RelayPortPool : IDisposable
{
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromSeconds(30);
    private const int SocketBufferBytes = 1024 * 1024;

    private readonly int _minPort;
    private readonly int _maxPort;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Reservation> _reservations = [];

    public RelayPortPool(int minPort, int maxPort, TimeProvider time)
    {
        if (minPort < 1 || maxPort > 65535 || minPort > maxPort)
        {
            throw new InvalidOperationException("Turn:MinPort and Turn:MaxPort must give a range within 1-65535.");
        }

        _minPort = minPort;
        _maxPort = maxPort;
        _time = time;
    }

    /// <summary>
    /// Binds a UDP socket on <paramref name="ip"/> in the range: an even port when asked, and then with
    /// <paramref name="reserveNext"/> the odd port above it too, held under the returned token. False when the range
    /// has no (such) free port.
    /// </summary>
    public bool TryBind(IPAddress ip, bool even, bool reserveNext, out Socket? socket, out ulong token) =>
        TryBind(ip, even, reserveNext, ProtocolType.Udp, out socket, out token);

    /// <summary>Binds and starts listening on a TCP socket in the range, for an RFC 6062 TCP allocation; the port
    /// may be shared with the connections the allocation makes to peers (<see cref="CreateTcpConnectSocket"/>).</summary>
    public bool TryBindTcp(IPAddress ip, out Socket? socket) => TryBind(ip, false, false, ProtocolType.Tcp, out socket, out _);

    /// <summary>A socket for connecting to a peer from a TCP allocation's relayed address.</summary>
    public static Socket CreateTcpConnectSocket(IPEndPoint relayed)
    {
        var socket = new Socket(relayed.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            AllowSharedPort(socket);
            socket.Bind(relayed);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private bool TryBind(IPAddress ip, bool even, bool reserveNext, ProtocolType protocol, out Socket? socket, out ulong token)
    {
        socket = null;
        token = 0;
        int count = _maxPort - _minPort + 1;
        int start = RandomNumberGenerator.GetInt32(count);
        for (int i = 0; i < count; i++)
        {
            int port = _minPort + ((start + i) % count);
            if (even && (port & 1) != 0)
            {
                continue;
            }

            if (reserveNext && port + 1 > _maxPort)
            {
                continue;
            }

            Socket? candidate = protocol == ProtocolType.Tcp ? TryListenTcp(ip, port) : TryBindPort(ip, port);
            if (candidate is null)
            {
                continue;
            }

            if (reserveNext)
            {
                Socket? next = TryBindPort(ip, port + 1);
                if (next is null)
                {
                    candidate.Dispose();
                    continue;
                }

                token = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
                lock (_gate)
                {
                    _reservations[token] = new Reservation(next, _time.GetUtcNow() + ReservationLifetime);
                }
            }

            socket = candidate;
            return true;
        }

        return false;
    }

    /// <summary>Takes the socket a reservation holds; false when the token is unknown or has expired.</summary>
    public bool TryClaim(ulong token, out Socket? socket)
    {
        lock (_gate)
        {
            if (_reservations.Remove(token, out Reservation reservation))
            {
                socket = reservation.Socket;
                return true;
            }
        }

        socket = null;
        return false;
    }

    /// <summary>Releases reservations nobody claimed in time.</summary>
    public void Sweep()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            foreach ((ulong token, Reservation reservation) in _reservations)
            {
                if (reservation.Expires <= now)
                {
                    reservation.Socket.Dispose();
                    _reservations.Remove(token);
                }
            }
        }
    }

    public static Socket? TryBindPort(IPAddress ip, int port)
    {
        var socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.ReceiveBufferSize = SocketBufferBytes;
            socket.SendBufferSize = SocketBufferBytes;
            socket.Bind(new IPEndPoint(ip, port));
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private Socket? TryListenTcp(IPAddress ip, int port)
    {
        // SO_REUSEPORT would let this bind succeed on a port another allocation's listener already holds (two
        // allocations with one relayed address, peers' connections shared between them), so the port is first bound
        // without it, which fails while any socket has it; under the lock, so that no other allocation slips in.
        lock (_gate)
        {
            if (!IsTcpPortFree(ip, port))
            {
                return null;
            }

            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (ip.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                AllowSharedPort(socket);
                socket.Bind(new IPEndPoint(ip, port));
                socket.Listen(64);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                return null;
            }
        }
    }

    private static bool IsTcpPortFree(IPAddress ip, int port)
    {
        using var probe = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            {
                probe.DualMode = false;
            }

            probe.Bind(new IPEndPoint(ip, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>SO_REUSEADDR and SO_REUSEPORT, so that the listening socket and the sockets connecting out share the
    /// relayed port (Linux; elsewhere the outgoing connection may fail and the Connect is answered 447).</summary>
    private static void AllowSharedPort(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (OperatingSystem.IsLinux())
        {
            const int SolSocket = 1, SoReusePort = 15;
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (Reservation reservation in _reservations.Values)
            {
                reservation.Socket.Dispose();
            }

            _reservations.Clear();
        }
    }

    private readonly record struct Reservation(Socket Socket, DateTimeOffset Expires);
}
