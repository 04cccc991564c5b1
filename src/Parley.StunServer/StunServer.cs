using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Parley.Stun;

namespace Parley.StunServer;

/// <summary>
/// The STUN server: binds the configured addresses (UDP, and TCP unless disabled) and answers Binding requests;
/// with an alternate IP configured, the first listening IP and the alternate form an RFC 5780 grid.
/// </summary>
public sealed class StunServer : IAsyncDisposable
{
    private const int UdpSocketBufferBytes = 4 * 1024 * 1024;

    private readonly List<UdpStunListener> _udp = [];
    private readonly List<TcpStunListener> _tcp = [];

    private StunServer()
    {
    }

    public IEnumerable<IPEndPoint> UdpEndPoints => _udp.SelectMany(l => l.LocalAddresses).Select(a => a.ToIPEndPoint());

    public IEnumerable<IPEndPoint> TcpEndPoints => _tcp.Where(l => !l.IsTls).Select(l => l.LocalAddress.ToIPEndPoint());

    public IEnumerable<IPEndPoint> TlsEndPoints => _tcp.Where(l => l.IsTls).Select(l => l.LocalAddress.ToIPEndPoint());

    /// <summary>The RFC 5780 grid, when one is configured.</summary>
    public NatDiscoveryGrid? Grid { get; private set; }

    /// <param name="extension">Takes every message that is not a Binding request, on every listener (the TURN
    /// server); null for a STUN-only server.</param>
    /// <param name="tlsCertificate">Also listen for TLS on <see cref="StunServerOptions.TlsListeningPort"/> with this
    /// certificate (RFC 8489 §6.2.3); null for none.</param>
    public static async Task<StunServer> StartAsync(StunServerOptions options, ILoggerFactory loggerFactory,
        IStunServerExtension? extension = null, X509Certificate2? tlsCertificate = null)
    {
        ILogger logger = loggerFactory.CreateLogger<StunServer>();
        if (options.ListeningIps.Count == 0)
        {
            throw new InvalidOperationException("Stun:ListeningIps names no address to listen on.");
        }

        var handler = new BindingRequestHandler(options.Software);
        var server = new StunServer();
        int threads = options.UdpThreadsPerSocket > 0 ? options.UdpThreadsPerSocket : Environment.ProcessorCount;
        try
        {
            for (int i = 0; i < options.ListeningIps.Count; i++)
            {
                IPAddress ip = IPAddress.Parse(options.ListeningIps[i]);
                (UdpStunListener udp, Socket? tcpSocket) = server.BindPair(i, ip, options, handler, logger, extension);
                server._udp.Add(udp);
                udp.Start(threads);
                foreach (TransportAddress local in udp.LocalAddresses)
                {
                    StunServerLog.Listening(logger, "UDP", local.ToIPEndPoint());
                }

                if (tcpSocket is not null)
                {
                    var tcp = new TcpStunListener(tcpSocket, handler, options, logger, extension);
                    server._tcp.Add(tcp);
                    tcp.Start();
                    StunServerLog.Listening(logger, "TCP", tcp.LocalAddress.ToIPEndPoint());
                }

                if (tlsCertificate is not null)
                {
                    var tls = new TcpStunListener(BindTcp(new IPEndPoint(ip, options.TlsListeningPort)), handler, options,
                        logger, extension, tlsCertificate);
                    server._tcp.Add(tls);
                    tls.Start();
                    StunServerLog.Listening(logger, "TLS", tls.LocalAddress.ToIPEndPoint());
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Binds the UDP socket(s) of one listening address and, unless TCP is off, the TCP socket on the same port.
    /// With port 0 the kernel picks the UDP port, which TCP may already hold; then both are bound again elsewhere.
    /// </summary>
    private (UdpStunListener Udp, Socket? Tcp) BindPair(int index, IPAddress ip, StunServerOptions options,
        BindingRequestHandler handler, ILogger logger, IStunServerExtension? extension)
    {
        const int Attempts = 20;
        for (int attempt = 1; ; attempt++)
        {
            UdpStunListener udp = index == 0 && options.AlternateIp is { Length: > 0 } alternate
                ? StartGrid(ip, IPAddress.Parse(alternate), options, handler, logger, extension)
                : new UdpStunListener([BindUdp(new IPEndPoint(ip, options.ListeningPort))], null, handler, logger, extension);
            if (!options.TcpEnabled)
            {
                return (udp, null);
            }

            try
            {
                return (udp, BindTcp(udp.LocalAddresses[0].ToIPEndPoint()));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse
                && options.ListeningPort == 0 && attempt < Attempts)
            {
                udp.Dispose();
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
    }

    private UdpStunListener StartGrid(IPAddress primaryIp, IPAddress alternateIp, StunServerOptions options,
        BindingRequestHandler handler, ILogger logger, IStunServerExtension? extension)
    {
        if (primaryIp.AddressFamily != alternateIp.AddressFamily || primaryIp.Equals(alternateIp))
        {
            throw new InvalidOperationException("Stun:AlternateIp must be another address of the first listening IP's family.");
        }

        var sockets = new Socket[4];
        try
        {
            // Bind the primary address first so that port 0 resolves, then the same ports on the alternate address.
            sockets[NatDiscoveryGrid.SocketIndex(0, 0)] = BindUdp(new IPEndPoint(primaryIp, options.ListeningPort));
            int primaryPort = ((IPEndPoint)sockets[0].LocalEndPoint!).Port;
            sockets[NatDiscoveryGrid.SocketIndex(0, 1)] = BindUdp(new IPEndPoint(primaryIp, options.AlternatePort));
            int alternatePort = ((IPEndPoint)sockets[1].LocalEndPoint!).Port;
            sockets[NatDiscoveryGrid.SocketIndex(1, 0)] = BindUdp(new IPEndPoint(alternateIp, primaryPort));
            sockets[NatDiscoveryGrid.SocketIndex(1, 1)] = BindUdp(new IPEndPoint(alternateIp, alternatePort));
            var grid = new NatDiscoveryGrid(TransportAddress.FromIPAddress(primaryIp, (ushort)primaryPort),
                TransportAddress.FromIPAddress(alternateIp, (ushort)alternatePort));
            Grid = grid;
            StunServerLog.NatDiscovery(logger, grid.Primary.ToIPEndPoint(), grid.Alternate.ToIPEndPoint());
            return new UdpStunListener(sockets, grid, handler, logger, extension);
        }
        catch
        {
            foreach (Socket? socket in sockets)
            {
                socket?.Dispose();
            }

            throw;
        }
    }

    private static Socket BindUdp(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false; // "::" and "0.0.0.0" are bound separately
            }

            socket.ReceiveBufferSize = UdpSocketBufferBytes;
            socket.SendBufferSize = UdpSocketBufferBytes;
            socket.Bind(endPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket BindTcp(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(512);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (UdpStunListener udp in _udp)
        {
            udp.Dispose();
        }

        foreach (TcpStunListener tcp in _tcp)
        {
            await tcp.DisposeAsync();
        }

        _udp.Clear();
        _tcp.Clear();
    }
}
