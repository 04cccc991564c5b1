using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.WebRtc.Dtls;
using Parley.WebRtc.IceTcp;

namespace Parley.WebRtc.Tests;

/// <summary>
/// The passive ICE-TCP candidate (RFC 6544) on the media port's number, driven by a plain TCP client that frames
/// packets as RFC 4571 says: checks bind a connection to its transport, nomination moves media onto it, junk and
/// silence close it, and closing it unbinds it.
/// </summary>
public sealed class IceTcpTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private WebRtcServer _server = null!;
    private WebRtcTransport _transport = null!;

    public Task InitializeAsync()
    {
        _server = Start(new WebRtcServerOptions { Port = 0 });
        _transport = CreateTransport(_server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private WebRtcServer Start(WebRtcServerOptions options) => WebRtcServer.Start(options, _time, NullLoggerFactory.Instance);

    private static WebRtcTransport CreateTransport(WebRtcServer server)
    {
        Assert.True(CertificateFingerprint.TryParse("sha-256 " + string.Join(':', Enumerable.Repeat("22", 32)), out CertificateFingerprint? fingerprint));
        return server.CreateTransport(fingerprint, "peer");
    }

    private static byte[] Check(WebRtcTransport transport, bool nominate, string? password = null)
    {
        byte[] buffer = new byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username($"{transport.LocalCredentials.Ufrag}:peer"));
        builder.Add(new Priority(1));
        builder.Add(new IceControlling(1));
        if (nominate)
        {
            builder.Add(default(UseCandidate));
        }

        builder.AddMessageIntegrity(StunCredentials.ShortTermKey(password ?? transport.LocalCredentials.Password));
        builder.AddFingerprint();
        return builder.Message.ToArray();
    }

    private static byte[] Frame(ReadOnlySpan<byte> packet)
    {
        byte[] frame = new byte[2 + packet.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)packet.Length);
        packet.CopyTo(frame.AsSpan(2));
        return frame;
    }

    private static async Task<Socket> ConnectAsync(WebRtcServer server)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port));
        return client;
    }

    private static async Task ReadExactlyAsync(Socket client, Memory<byte> into)
    {
        using var timeout = new CancellationTokenSource(Wait);
        for (int read = 0; read < into.Length;)
        {
            int n = await client.ReceiveAsync(into[read..], SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                throw new IOException("the server closed the connection");
            }

            read += n;
        }
    }

    /// <summary>Reads one RFC 4571 frame's packet.</summary>
    private static async Task<byte[]> ReadFrameAsync(Socket client)
    {
        byte[] header = new byte[2];
        await ReadExactlyAsync(client, header);
        byte[] packet = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await ReadExactlyAsync(client, packet);
        return packet;
    }

    private static async Task<StunMessageType> ReadStunAsync(Socket client)
    {
        byte[] packet = await ReadFrameAsync(client);
        Assert.True(StunMessage.TryParse(packet, out StunMessage message));
        return message.Type;
    }

    /// <summary>True once the server has closed <paramref name="client"/> (its read ends or is reset).</summary>
    private static async Task<bool> IsClosedByServerAsync(Socket client)
    {
        byte[] sink = new byte[4096];
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            while (await client.ReceiveAsync(sink, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true; // reset
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        for (int i = 0; i < 250 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), what);
    }

    private async Task<Socket> NominatedConnectionAsync()
    {
        Socket client = await ConnectAsync(_server);
        await client.SendAsync(Frame(Check(_transport, nominate: true)));
        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(client));
        return client;
    }

    [Fact]
    public void The_tcp_listener_takes_the_udp_port_number_and_its_candidate_is_passive_and_below_udp()
    {
        Assert.Equal(_server.LocalEndPoint.Port, _server.Tcp!.LocalEndPoint.Port);
        Assert.Equal($"candidate:2 1 tcp {IceTcpPriority.PassiveHost} 127.0.0.1 {_server.LocalEndPoint.Port} typ host tcptype passive generation 0",
            _server.TcpHostCandidate);
        Assert.True(IceTcpPriority.PassiveHost < 2130706431u);
    }

    [Fact]
    public async Task A_check_split_into_single_bytes_is_answered()
    {
        using Socket client = await ConnectAsync(_server);
        foreach (byte b in Frame(Check(_transport, nominate: false)))
        {
            await client.SendAsync(new[] { b });
            await Task.Delay(1);
        }

        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(client));
    }

    [Fact]
    public async Task Checks_coalesced_in_one_segment_are_each_answered()
    {
        using Socket client = await ConnectAsync(_server);
        byte[] wrong = Check(_transport, nominate: false, password: "not-the-password-at-all");
        byte[] coalesced = [.. Frame(Check(_transport, nominate: false)), .. Frame(wrong), .. Frame(Check(_transport, nominate: true))];
        await client.SendAsync(coalesced);
        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(client));
        Assert.Equal(StunMessageType.BindingError, await ReadStunAsync(client)); // 401, signed with nothing
        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(client));
        Assert.True(_transport.SelectedIsTcp);
    }

    [Fact]
    public async Task A_valid_check_binds_the_connection_and_nomination_selects_it()
    {
        using Socket client = await ConnectAsync(_server);
        await client.SendAsync(Frame(Check(_transport, nominate: false)));
        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(client));
        IceTcpConnection connection = Assert.Single(_server.Tcp!.ConnectionsOf(_transport));
        Assert.Equal(TransportAddress.FromIPEndPoint((IPEndPoint)client.LocalEndPoint!), connection.Remote);
        Assert.True(_transport.SelectedIsTcp); // nothing else was selected yet

        // The peer nominates a UDP address; then the TCP connection again.
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendToAsync(Check(_transport, nominate: true), _server.LocalEndPoint);
        byte[] answer = new byte[512];
        await udp.ReceiveAsync(answer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Wait);
        Assert.False(_transport.SelectedIsTcp);
        Assert.Equal(((IPEndPoint)udp.LocalEndPoint!).Port, _transport.SelectedRemote!.Value.Port);

        await client.SendAsync(Frame(Check(_transport, nominate: false)));
        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(client));
        Assert.False(_transport.SelectedIsTcp); // a check without USE-CANDIDATE keeps the nominated path
        await client.SendAsync(Frame(Check(_transport, nominate: true)));
        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(client));
        Assert.True(_transport.SelectedIsTcp);
        Assert.Equal(connection.Remote, _transport.SelectedRemote);
    }

    [Fact]
    public async Task After_nomination_the_transport_sends_on_the_connection_and_receives_its_media()
    {
        using Socket client = await NominatedConnectionAsync();
        byte[] received = [];
        _transport.MediaReceived = (_, datagram) => received = datagram.ToArray();

        byte[] rtp = [0x80, 0x60, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        _transport.SendToSelected(rtp);
        _transport.SendToSelected(rtp.AsSpan(0, 12));
        Assert.Equal(rtp, await ReadFrameAsync(client));
        Assert.Equal(rtp[..12], await ReadFrameAsync(client));

        byte[] fromPeer = [0x90, 0x6F, 0x12, 0x34, .. Enumerable.Repeat((byte)7, 1200)];
        await client.SendAsync(Frame(fromPeer));
        await EventuallyAsync(() => received.Length > 0, "the peer's RTP reached the media handler");
        Assert.Equal(fromPeer, received);
    }

    [Fact]
    public async Task Closing_the_connection_unbinds_it_and_media_stops_until_another_path_is_nominated()
    {
        Socket client = await NominatedConnectionAsync();
        Assert.Equal(1, _server.TcpConnectionCount);
        client.Dispose();
        await EventuallyAsync(() => _server.TcpConnectionCount == 0, "the closed connection is released");
        Assert.Null(_transport.SelectedRemote);
        _transport.SendToSelected([0x80, 0, 0, 0]); // dropped, no path
        Assert.False(_transport.Closed.IsCompleted); // the transport lives on: the peer may nominate another path

        using Socket again = await NominatedConnectionAsync();
        Assert.True(_transport.SelectedIsTcp);
        _transport.SendToSelected([0x80, 0, 0, 1]);
        Assert.Equal([0x80, 0, 0, 1], await ReadFrameAsync(again));
    }

    [Fact]
    public async Task Closing_the_transport_closes_its_connections()
    {
        using Socket client = await NominatedConnectionAsync();
        _transport.Dispose();
        Assert.True(await IsClosedByServerAsync(client));
        await EventuallyAsync(() => _server.TcpConnectionCount == 0, "the connection is released");
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x05, 0x50, 1, 2, 3, 4 })] // a frame of no known protocol
    [InlineData(new byte[] { 0x00, 0x04, 0x16, 0xFE, 0xFD, 0 })] // DTLS before any check
    [InlineData(new byte[] { 0x00, 0x04, 0x80, 0x60, 0, 1 })] // RTP before any check
    [InlineData(new byte[] { 0x00, 0x04, 0x00, 0x01, 0, 0 })] // STUN-looking, but no check
    [InlineData(new byte[] { 0x00, 0x00 })] // empty frame
    [InlineData(new byte[] { 0xFF, 0xFF })] // oversized frame
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F })] // "GET /": an HTTP client
    public async Task Junk_closes_the_connection(byte[] junk)
    {
        using Socket client = await ConnectAsync(_server);
        await client.SendAsync(junk);
        Assert.True(await IsClosedByServerAsync(client));
        await EventuallyAsync(() => _server.TcpConnectionCount == 0, "the connection is released");
        Assert.Equal(1, _server.TransportCount);
    }

    [Fact]
    public async Task A_bound_connection_that_sends_junk_is_closed_and_unbound()
    {
        using Socket client = await NominatedConnectionAsync();
        await client.SendAsync(new byte[] { 0x00, 0x02, 0x41, 0x41 });
        Assert.True(await IsClosedByServerAsync(client));
        await EventuallyAsync(() => _transport.SelectedRemote is null, "the path is unbound");
    }

    [Fact]
    public async Task A_connection_without_a_valid_check_is_closed_after_the_check_timeout()
    {
        using Socket silent = await ConnectAsync(_server);
        using Socket wrong = await ConnectAsync(_server);
        await wrong.SendAsync(Frame(Check(_transport, nominate: true, password: "not-the-password-at-all")));
        Assert.Equal(StunMessageType.BindingError, await ReadStunAsync(wrong)); // answered, but not bound
        await EventuallyAsync(() => _server.TcpConnectionCount == 2, "both connections are accepted");
        _time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(100);
        Assert.Equal(2, _server.TcpConnectionCount);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await IsClosedByServerAsync(silent));
        Assert.True(await IsClosedByServerAsync(wrong));
        Assert.Null(_transport.SelectedRemote);
    }

    [Fact]
    public async Task A_bound_connection_whose_peer_stops_checking_is_closed_after_the_consent_timeout()
    {
        using Socket client = await NominatedConnectionAsync();
        _time.Advance(TimeSpan.FromSeconds(6)); // past the check timeout: a bound connection is not affected
        _time.Advance(TimeSpan.FromSeconds(23));
        _server.Sweep();
        await Task.Delay(100);
        Assert.Equal(1, _server.TcpConnectionCount);
        _time.Advance(TimeSpan.FromSeconds(2));
        _server.Sweep();
        Assert.True(await IsClosedByServerAsync(client));
        Assert.True(_transport.Closed.IsCompleted); // no check anywhere: the transport's consent expired too
    }

    [Fact]
    public async Task Connections_past_the_cap_are_closed_at_once()
    {
        await using WebRtcServer server = Start(new WebRtcServerOptions { Port = 0, MaxTcpConnections = 2 });
        using Socket first = await ConnectAsync(server);
        using Socket second = await ConnectAsync(server);
        await EventuallyAsync(() => server.TcpConnectionCount == 2, "two connections are accepted");
        using Socket third = await ConnectAsync(server);
        Assert.True(await IsClosedByServerAsync(third));
        Assert.Equal(2, server.TcpConnectionCount);
    }

    [Fact]
    public async Task With_tcp_off_there_is_no_listener_and_no_candidate()
    {
        await using WebRtcServer server = Start(new WebRtcServerOptions { Port = 0, TcpEnabled = false });
        Assert.Null(server.TcpHostCandidate);
        Assert.Null(server.Tcp);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        SocketException refused = await Assert.ThrowsAsync<SocketException>(
            () => client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint.Port)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_media_port_whose_number_is_taken_on_tcp_is_refused_with_a_reason()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        int port = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => Start(new WebRtcServerOptions { Port = port }));
        Assert.Contains($"TCP 127.0.0.1 port {port}", refused.Message, StringComparison.Ordinal);
        Assert.Contains("WebRtc:TcpEnabled=false", refused.Message, StringComparison.Ordinal);

        // The UDP port was let go: without ICE-TCP the same port starts.
        await using WebRtcServer udpOnly = Start(new WebRtcServerOptions { Port = port, TcpEnabled = false });
        Assert.Equal(port, udpOnly.LocalEndPoint.Port);
    }

    [Fact]
    public async Task A_peer_that_does_not_read_loses_packets_and_blocks_nobody()
    {
        using Socket client = await NominatedConnectionAsync();
        client.ReceiveBufferSize = 4096;
        IceTcpConnection connection = Assert.Single(_server.Tcp!.ConnectionsOf(_transport));
        byte[] packet = new byte[1200];
        packet[0] = 0x80;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 20_000; i++) // 24 MB, far more than socket buffers and the queue hold
        {
            _transport.SendToSelected(packet);
        }

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(5), $"sending took {elapsed.Elapsed}");
        Assert.True(connection.DroppedPackets > 0);
        Assert.False(connection.IsClosed);

        // The port still answers checks on UDP meanwhile.
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendToAsync(Check(_transport, nominate: false), _server.LocalEndPoint);
        byte[] answer = new byte[512];
        int length = await udp.ReceiveAsync(answer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Wait);
        Assert.True(StunMessage.TryParse(answer.AsMemory(0, length), out StunMessage response));
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
    }

    [Fact]
    public async Task Sending_on_the_connection_allocates_nothing_per_packet()
    {
        using Socket client = await NominatedConnectionAsync();
        long read = 0;
        Task reading = Task.Run(async () =>
        {
            byte[] sink = new byte[1 << 16];
            int n;
            try
            {
                while ((n = await client.ReceiveAsync(sink, SocketFlags.None)) > 0)
                {
                    Interlocked.Add(ref read, n);
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // The test shuts its end down while the server may still be writing: a reset ends the read too.
            }
        });
        byte[] packet = new byte[1200];
        packet[0] = 0x80;
        _transport.SendToSelected(packet); // the first send takes the queue's buffer (the writer rents the other)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            _transport.SendToSelected(packet);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        await EventuallyAsync(() => Interlocked.Read(ref read) > 1202, "the packets arrive");
        client.Shutdown(SocketShutdown.Both);
        await reading.WaitAsync(Wait);
    }

    [Fact]
    public async Task Random_input_never_binds_a_connection_nor_leaks_one_and_a_bound_connection_survives_random_frames()
    {
        var random = new Random(6544);
        byte[] junk = new byte[4096];
        for (int i = 0; i < 200; i++)
        {
            using Socket client = await ConnectAsync(_server);
            int length = random.Next(1, junk.Length);
            random.NextBytes(junk.AsSpan(0, length));
            if (i % 2 == 0)
            {
                // A well-framed packet of random bytes, STUN-, DTLS- or RTP-looking.
                int packet = random.Next(1, 1400);
                BinaryPrimitives.WriteUInt16BigEndian(junk, (ushort)packet);
                junk[2] = (byte)(i % 3 == 0 ? random.Next(0, 4) : i % 3 == 1 ? random.Next(20, 64) : random.Next(128, 192));
                length = Math.Max(length, packet + 2);
            }

            try
            {
                await client.SendAsync(junk.AsMemory(0, length));
            }
            catch (SocketException)
            {
                // closed by the server mid-send
            }

            if (i % 2 == 0)
            {
                Assert.True(await IsClosedByServerAsync(client), $"input {i} closed its connection");
            }
        }

        _time.Advance(TimeSpan.FromSeconds(6)); // connections that still wait for the rest of a frame time out
        await EventuallyAsync(() => _server.TcpConnectionCount == 0, "no connection is left open");
        Assert.Equal(1, _server.TransportCount);
        Assert.Null(_transport.SelectedRemote);

        // Random DTLS- and RTP-looking frames on a bound connection go to the transport and are discarded there.
        using Socket bound = await NominatedConnectionAsync();
        int media = 0;
        _transport.MediaReceived = (_, _) => Interlocked.Increment(ref media);
        for (int i = 0; i < 2000; i++)
        {
            byte[] packet = new byte[random.Next(1, 1400)];
            random.NextBytes(packet);
            packet[0] = (byte)(i % 2 == 0 ? random.Next(20, 64) : random.Next(128, 192));
            await bound.SendAsync(Frame(packet));
        }

        await bound.SendAsync(Frame(Check(_transport, nominate: true)));
        Assert.Equal(StunMessageType.BindingSuccess, await ReadStunAsync(bound));
        Assert.Equal(1000, media);
        Assert.Equal(1, _server.TcpConnectionCount);
        Assert.Equal(1, _server.TransportCount);
    }
}
