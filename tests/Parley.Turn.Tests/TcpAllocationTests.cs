using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>TCP allocations (RFC 6062): Connect to a peer, ConnectionAttempt for a peer that connects in, and
/// ConnectionBind turning a new client connection into a byte pipe to the peer.</summary>
public sealed class TcpAllocationTests : IAsyncLifetime
{
    private TurnHarness _turn = null!;
    private Socket _listener = null!;

    public async Task InitializeAsync()
    {
        _turn = await TurnHarness.StartAsync(o => o.AllowedPeerRanges.Add("127.0.0.0/8"));
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(8);
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _turn.DisposeAsync();
    }

    private TransportAddress ListeningPeer => TransportAddress.FromIPEndPoint((IPEndPoint)_listener.LocalEndPoint!);

    private static async Task<TransportAddress> AllocateTcpAsync(TurnTestClient control)
    {
        StunMessage response = await control.RequestAsync(StunMethod.Allocate,
            (ref StunMessageBuilder b) => b.Add(new RequestedTransport(IpProtocol.Tcp)));
        Assert.Equal(0, response.ErrorCode());
        Assert.True(response.TryGet(out XorRelayedAddress relayed));
        return relayed.Address;
    }

    private static Task<StunMessage> ConnectAsync(TurnTestClient control, TransportAddress peer) =>
        control.RequestAsync(StunMethod.Connect, (ref StunMessageBuilder b) => b.Add(new XorPeerAddress(peer)));

    /// <summary>A new connection from the client, bound to the peer connection: from the answer on, a raw pipe.</summary>
    private async Task<TurnTestClient> BindDataConnectionAsync(uint id, string user = "alice")
    {
        TurnTestClient data = await _turn.TcpClientAsync(user);
        StunMessage bound = await data.RequestAsync(StunMethod.ConnectionBind, (ref StunMessageBuilder b) => b.Add(new ConnectionId(id)));
        Assert.Equal(StunMessageType.ConnectionBindSuccess, bound.Type);
        return data;
    }

    private static async Task AssertPipeAsync(Socket client, Socket peer)
    {
        await client.SendAsync("hello peer"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hello peer"u8.ToArray(), await ReceiveExactlyAsync(peer, 10));
        await peer.SendAsync("hello client"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hello client"u8.ToArray(), await ReceiveExactlyAsync(client, 12));
    }

    private static async Task<byte[]> ReceiveExactlyAsync(Socket socket, int length)
    {
        byte[] buffer = new byte[length];
        using var timeout = new CancellationTokenSource(TurnTestClient.DefaultTimeout);
        int filled = 0;
        while (filled < length)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token);
            Assert.True(read > 0, "the connection stays open");
            filled += read;
        }

        return buffer;
    }

    [Fact]
    public async Task Tcp_allocations_never_share_a_relayed_port()
    {
        var clients = new List<TurnTestClient>();
        try
        {
            var relayed = new List<TransportAddress>();
            for (int i = 0; i < RelayPorts.BlockSize / 2; i++)
            {
                TurnTestClient client = await _turn.TcpClientAsync();
                clients.Add(client);
                relayed.Add(await AllocateTcpAsync(client));
            }

            Assert.Equal(relayed.Count, relayed.Distinct().Count());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task With_a_one_port_range_a_second_tcp_allocation_gets_508()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.MaxPort = o.MinPort);
        using TurnTestClient first = await turn.TcpClientAsync();
        using TurnTestClient second = await turn.TcpClientAsync();
        await AllocateTcpAsync(first);

        StunMessage refused = await second.RequestAsync(StunMethod.Allocate,
            (ref StunMessageBuilder b) => b.Add(new RequestedTransport(IpProtocol.Tcp)));

        Assert.Equal(StunErrorCodes.InsufficientCapacity, refused.ErrorCode());
    }

    [Fact]
    public async Task Connect_reaches_the_peer_from_the_relayed_address_and_connection_bind_makes_a_pipe_to_it()
    {
        using TurnTestClient control = await _turn.TcpClientAsync();
        TransportAddress relayed = await AllocateTcpAsync(control);

        StunMessage connected = await ConnectAsync(control, ListeningPeer);
        using Socket peer = await _listener.AcceptAsync();

        Assert.Equal(StunMessageType.ConnectSuccess, connected.Type);
        Assert.True(connected.TryGet(out ConnectionId id));
        Assert.Equal(relayed.ToIPEndPoint(), peer.RemoteEndPoint);
        using TurnTestClient data = await BindDataConnectionAsync(id.Value);
        await AssertPipeAsync(data.Socket, peer);
        Assert.Equal(1, _turn.Turn.TcpConnectionCount);
    }

    [Fact]
    public async Task A_peer_connecting_in_with_a_permission_is_announced_and_bound()
    {
        using TurnTestClient control = await _turn.TcpClientAsync();
        TransportAddress relayed = await AllocateTcpAsync(control);
        Assert.Equal(0, (await control.CreatePermissionAsync(TransportAddress.FromIPAddress(IPAddress.Loopback, 0))).ErrorCode());
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        await peer.ConnectAsync(relayed.ToIPEndPoint());
        byte[] message = await control.TryReceiveRelayedAsync() ?? throw new TimeoutException("No ConnectionAttempt came.");

        Assert.True(StunMessage.TryParse(message, out StunMessage attempt));
        Assert.Equal(StunMessageType.ConnectionAttemptIndication, attempt.Type);
        Assert.True(attempt.TryGet(out XorPeerAddress from));
        Assert.Equal(peer.LocalEndPoint, from.Address.ToIPEndPoint());
        Assert.True(attempt.TryGet(out ConnectionId id));
        using TurnTestClient data = await BindDataConnectionAsync(id.Value);
        await AssertPipeAsync(data.Socket, peer);
    }

    [Fact]
    public async Task A_peer_connecting_in_without_a_permission_is_turned_away()
    {
        using TurnTestClient control = await _turn.TcpClientAsync();
        TransportAddress relayed = await AllocateTcpAsync(control);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        await peer.ConnectAsync(relayed.ToIPEndPoint());

        using var timeout = new CancellationTokenSource(TurnTestClient.DefaultTimeout);
        Assert.Equal(0, await peer.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token));
        Assert.Null(await control.TryReceiveRelayedAsync(Eventually.Quiet));
        Assert.Equal(0, _turn.Turn.TcpConnectionCount);
    }

    [Fact]
    public async Task Connect_is_refused_on_a_udp_allocation_to_a_refused_peer_twice_to_one_peer_and_to_a_closed_port()
    {
        using TurnTestClient udp = _turn.UdpClient();
        await udp.AllocateOkAsync();
        Assert.Equal(StunErrorCodes.BadRequest, (await ConnectAsync(udp, ListeningPeer)).ErrorCode());

        using TurnTestClient control = await _turn.TcpClientAsync();
        await AllocateTcpAsync(control);
        Assert.Equal(StunErrorCodes.Forbidden,
            (await ConnectAsync(control, TransportAddress.FromIPAddress(IPAddress.Parse("10.0.0.1"), 80))).ErrorCode());
        Assert.Equal(0, (await ConnectAsync(control, ListeningPeer)).ErrorCode());
        Assert.Equal(StunErrorCodes.ConnectionAlreadyExists, (await ConnectAsync(control, ListeningPeer)).ErrorCode());

        var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = TransportAddress.FromIPEndPoint((IPEndPoint)closed.LocalEndPoint!);
        closed.Dispose();
        Assert.Equal(StunErrorCodes.ConnectionTimeoutOrFailure, (await ConnectAsync(control, closedPort)).ErrorCode());
    }

    [Fact]
    public async Task Connection_bind_is_refused_for_an_unknown_id_for_another_user_and_twice()
    {
        using TurnTestClient control = await _turn.TcpClientAsync();
        await AllocateTcpAsync(control);
        StunMessage connected = await ConnectAsync(control, ListeningPeer);
        Assert.True(connected.TryGet(out ConnectionId id));

        using TurnTestClient unknown = await _turn.TcpClientAsync();
        Assert.Equal(StunErrorCodes.BadRequest, (await unknown.RequestAsync(StunMethod.ConnectionBind,
            (ref StunMessageBuilder b) => b.Add(new ConnectionId(id.Value ^ 0x5A5A5A5A)))).ErrorCode());
        using TurnTestClient stranger = await _turn.TcpClientAsync("mallory");
        Assert.Equal(StunErrorCodes.WrongCredentials, (await stranger.RequestAsync(StunMethod.ConnectionBind,
            (ref StunMessageBuilder b) => b.Add(new ConnectionId(id.Value)))).ErrorCode());
        using TurnTestClient udp = _turn.UdpClient();
        Assert.Equal(StunErrorCodes.BadRequest, (await udp.RequestAsync(StunMethod.ConnectionBind,
            (ref StunMessageBuilder b) => b.Add(new ConnectionId(id.Value)))).ErrorCode());

        using TurnTestClient data = await BindDataConnectionAsync(id.Value);
        using TurnTestClient again = await _turn.TcpClientAsync();
        Assert.Equal(StunErrorCodes.BadRequest, (await again.RequestAsync(StunMethod.ConnectionBind,
            (ref StunMessageBuilder b) => b.Add(new ConnectionId(id.Value)))).ErrorCode());
    }

    [Fact]
    public async Task An_unbound_peer_connection_is_closed_after_30_seconds()
    {
        using TurnTestClient control = await _turn.TcpClientAsync();
        await AllocateTcpAsync(control);
        Assert.Equal(0, (await ConnectAsync(control, ListeningPeer)).ErrorCode());
        using Socket peer = await _listener.AcceptAsync();
        Assert.Equal(1, _turn.Turn.TcpConnectionCount);

        _turn.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(0, _turn.Turn.TcpConnectionCount);
        using var timeout = new CancellationTokenSource(TurnTestClient.DefaultTimeout);
        Assert.Equal(0, await peer.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token));
    }

    [Fact]
    public async Task Closing_the_control_connection_ends_the_allocation_and_its_peer_connections()
    {
        TurnTestClient control = await _turn.TcpClientAsync();
        await AllocateTcpAsync(control);
        StunMessage connected = await ConnectAsync(control, ListeningPeer);
        Assert.True(connected.TryGet(out ConnectionId id));
        using Socket peer = await _listener.AcceptAsync();
        using TurnTestClient data = await BindDataConnectionAsync(id.Value);

        control.Dispose();

        await Eventually.TrueAsync(() => _turn.Turn.AllocationCount == 0, "the allocation is gone");
        using var timeout = new CancellationTokenSource(TurnTestClient.DefaultTimeout);
        Assert.Equal(0, await peer.ReceiveAsync(new byte[1], SocketFlags.None, timeout.Token));
    }
}
