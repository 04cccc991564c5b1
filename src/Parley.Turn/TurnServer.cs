using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.StunServer;
using Parley.Sockets;

namespace Parley.Turn;

/// <summary>
/// The TURN server (RFC 8656): rides on the STUN listeners as their <see cref="IStunServerExtension"/>, keeps the
/// allocations (by 5-tuple over UDP, on the connection over TCP and TLS), answers Allocate, Refresh,
/// CreatePermission and ChannelBind, relays Send indications and ChannelData, and expires what is not refreshed.
/// </summary>
public sealed partial class TurnServer : IStunServerExtension, IDisposable
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PermissionLifetime = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ChannelLifetime = TimeSpan.FromMinutes(10);

    private readonly TurnServerOptions _options;
    private readonly TimeProvider _time;
    private readonly TurnAuthenticator _authenticator;
    private readonly RelayPortPool _ports;
    private readonly UnauthenticatedRateLimiter _rateLimiter;
    private readonly ConcurrentDictionary<(TransportAddress Client, TransportAddress Server), Allocation> _udpAllocations = new();
    private readonly ConcurrentDictionary<Allocation, byte> _allocations = new();
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly Lock _quotaGate = new();
    private readonly IPAddress[] _relayIps;
    private readonly (IPAddress Public, IPAddress? Private)? _external;
    private readonly Software _software;
    private readonly ITimer _sweeper;
    private int _reservedAllocations;

    public TurnServer(TurnServerOptions options, PeerAddressPolicy policy, TimeProvider time, ILoggerFactory loggers,
        string software = "Parley")
    {
        _options = options;
        _time = time;
        Policy = policy;
        Logger = loggers.CreateLogger<TurnServer>();
        _authenticator = new TurnAuthenticator(options, time);
        _ports = new RelayPortPool(options.MinPort, options.MaxPort, time);
        _rateLimiter = new UnauthenticatedRateLimiter(options.UnauthenticatedRequestsPerSecond, time);
        _relayIps = [.. options.RelayIps.Select(IPAddress.Parse)];
        _external = ParseExternalIp(options.ExternalIp);
        _software = new Software(software);
        _sweeper = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        if (Epoll.IsSupported && options.RelayThreads >= 0)
        {
            Poller = new RelayPoller(options.RelayThreads > 0 ? options.RelayThreads : Environment.ProcessorCount, Counters, Logger);
        }
    }

    public TurnCounters Counters { get; } = new();

    public PeerAddressPolicy Policy { get; }

    internal ILogger Logger { get; }

    /// <summary>Allocations held now.</summary>
    public int AllocationCount => _allocations.Count;

    /// <summary>Permissions and channel bindings held now, over all allocations.</summary>
    public (int Permissions, int Channels) BindingCounts =>
        (_allocations.Keys.Sum(a => a.PermissionCount), _allocations.Keys.Sum(a => a.ChannelCount));

    internal long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The threads that receive peers' datagrams (Linux); null where allocations use the socket engine.</summary>
    internal RelayPoller? Poller { get; }

    /// <inheritdoc />
    public void HandleDatagram(ReadOnlyMemory<byte> datagram, in StunRequestContext context, Socket socket, SocketAddress source)
    {
        try
        {
            ReadOnlySpan<byte> span = datagram.Span;
            _udpAllocations.TryGetValue((context.Source, context.Local), out Allocation? allocation);
            if (ChannelData.IsChannelDataFirstByte(span[0]))
            {
                RelayChannelData(allocation, span);
                return;
            }

            HandleStun(datagram, context.Source, context.Local, StunTransport.Udp, allocation,
                new ReplyTarget(socket, source, null));
        }
        catch (Exception e)
        {
            TurnLog.RequestFailed(Logger, e, context.Source.ToString());
        }
    }

    /// <inheritdoc />
    public void HandleFrame(ReadOnlyMemory<byte> frame, StunStreamConnection connection)
    {
        try
        {
            var allocation = connection.State as Allocation;
            if (ChannelData.IsChannelDataFirstByte(frame.Span[0]))
            {
                RelayChannelData(allocation, frame.Span);
                return;
            }

            HandleStun(frame, connection.Remote, connection.Local, connection.Transport, allocation,
                new ReplyTarget(null, null, connection));
        }
        catch (Exception e)
        {
            TurnLog.RequestFailed(Logger, e, connection.Remote.ToString());
        }
    }

    /// <inheritdoc />
    public void HandleClosed(StunStreamConnection connection)
    {
        if (connection.State is Allocation allocation)
        {
            Remove(allocation, "connection closed");
        }

        CloseDataConnection(connection);
    }

    private void RelayChannelData(Allocation? allocation, ReadOnlySpan<byte> message)
    {
        if (allocation is null || !ChannelData.TryRead(message, out ChannelData channelData))
        {
            Counters.Dropped();
            return;
        }

        allocation.SendOnChannel(channelData.ChannelNumber, channelData.Data);
    }

    /// <summary>Expires allocations, permissions, channels and port reservations; runs every second.</summary>
    public void Sweep()
    {
        long now = Now;
        foreach (Allocation allocation in _allocations.Keys)
        {
            if (allocation.ExpiresAt <= now)
            {
                Remove(allocation, "expired");
            }
            else
            {
                allocation.Sweep(now);
            }
        }

        SweepTcpConnections(now);
        _ports.Sweep();
    }

    private bool TryReserveQuota(string username, out int errorCode)
    {
        lock (_quotaGate)
        {
            _perUser.TryGetValue(username, out int held);
            if (_options.UserQuota > 0 && held >= _options.UserQuota)
            {
                errorCode = StunErrorCodes.AllocationQuotaReached;
                return false;
            }

            if (_options.TotalQuota > 0 && _reservedAllocations >= _options.TotalQuota)
            {
                errorCode = StunErrorCodes.InsufficientCapacity;
                return false;
            }

            _perUser[username] = held + 1;
            _reservedAllocations++;
            errorCode = 0;
            return true;
        }
    }

    private void ReleaseQuota(string username)
    {
        lock (_quotaGate)
        {
            if (_perUser.TryGetValue(username, out int held))
            {
                if (held <= 1)
                {
                    _perUser.Remove(username);
                }
                else
                {
                    _perUser[username] = held - 1;
                }
            }

            _reservedAllocations--;
        }
    }

    private void Add(Allocation allocation, StunStreamConnection? connection)
    {
        _allocations[allocation] = 0;
        if (connection is not null)
        {
            connection.State = allocation;
        }
        else
        {
            _udpAllocations[(allocation.Client.Remote, allocation.ServerAddress)] = allocation;
        }

        Interlocked.Increment(ref Counters.AllocationsCreatedField);
        allocation.Start();
    }

    /// <param name="closeConnection">Over TCP or TLS, close the client's connection too (RFC 8656 §3.1; RFC 6062);
    /// false when the caller still has an answer to send on it and closes it after.</param>
    internal void Remove(Allocation allocation, string reason, bool closeConnection = true)
    {
        if (!allocation.Close())
        {
            return;
        }

        _allocations.TryRemove(allocation, out _);
        if (allocation.Client is StreamClientLink stream)
        {
            if (ReferenceEquals(stream.Connection.State, allocation))
            {
                stream.Connection.State = null;
            }

            if (closeConnection)
            {
                stream.Connection.Close(); // RFC 6062 and §3.1: the allocation and its TCP connection end together
            }
        }
        else
        {
            _udpAllocations.TryRemove(KeyValuePair.Create((allocation.Client.Remote, allocation.ServerAddress), allocation));
        }

        ReleaseQuota(allocation.Credential.Username);
        Interlocked.Increment(ref Counters.AllocationsDeletedField);
        TurnLog.AllocationDeleted(Logger, allocation.ToString(), reason);
    }

    /// <summary>The address relay sockets of a family bind to: the configured relay IP, else the listening address
    /// the request reached, else the host's first address of that family that is up.</summary>
    private IPAddress? RelayIpFor(AddressFamily family, in TransportAddress local)
    {
        foreach (IPAddress ip in _relayIps)
        {
            if (ip.AddressFamily == family)
            {
                return ip;
            }
        }

        if (_relayIps.Length > 0)
        {
            return null;
        }

        if (local.Family == family)
        {
            IPAddress listening = local.ToIPAddress();
            if (!listening.Equals(IPAddress.Any) && !listening.Equals(IPAddress.IPv6Any))
            {
                return listening;
            }
        }

        return FirstInterfaceAddress(family);
    }

    private static IPAddress? FirstInterfaceAddress(AddressFamily family)
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .OrderBy(n => n.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == family && !a.IsIPv6LinkLocal);
        }
        catch (NetworkInformationException)
        {
            return null;
        }
    }

    /// <summary>What XOR-RELAYED-ADDRESS says for a relay socket: behind 1:1 NAT, the external address.</summary>
    private TransportAddress Announce(Socket relay)
    {
        var bound = (IPEndPoint)relay.LocalEndPoint!;
        if (_external is { } external && external.Public.AddressFamily == bound.AddressFamily
            && (external.Private is null || external.Private.Equals(bound.Address)))
        {
            return TransportAddress.FromIPAddress(external.Public, (ushort)bound.Port);
        }

        return TransportAddress.FromIPEndPoint(bound);
    }

    private static (IPAddress Public, IPAddress? Private)? ParseExternalIp(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        string[] parts = text.Split('/', 2);
        if (!IPAddress.TryParse(parts[0], out IPAddress? publicIp)
            || (parts.Length == 2 && !IPAddress.TryParse(parts[1], out _)))
        {
            throw new InvalidOperationException("Turn:ExternalIp is 'public' or 'public/private', as coturn's external-ip.");
        }

        return (publicIp, parts.Length == 2 ? IPAddress.Parse(parts[1]) : null);
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (Allocation allocation in _allocations.Keys)
        {
            Remove(allocation, "server stopping");
        }

        _ports.Dispose();
        Poller?.Dispose();
    }

    /// <summary>Where an answer goes: back out of the UDP socket to the sender, or onto the stream.</summary>
    private readonly record struct ReplyTarget(Socket? Socket, SocketAddress? Address, StunStreamConnection? Connection)
    {
        /// <summary>A lasting link to the client, for an allocation (the UDP address is copied).</summary>
        public ITurnClientLink CreateLink(in TransportAddress client) => Connection is not null
            ? new StreamClientLink(Connection)
            : new UdpClientLink(Socket!, Address!, client);

        public void Send(ReadOnlySpan<byte> message)
        {
            if (Connection is not null)
            {
                Connection.Send(message);
                return;
            }

            try
            {
                Socket!.SendTo(message, SocketFlags.None, Address!);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // UDP: the answer is lost as a datagram would be; the client retransmits
            }
        }
    }
}
