using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.StunServer.Tests;

/// <summary>The server on real loopback sockets (ports chosen by the kernel).</summary>
public sealed class StunServerTests : IAsyncLifetime
{
    private readonly CountingLoggerProvider _log = new();
    private StunServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new StunServerOptions { ListeningPort = 0, AlternatePort = 0, UdpThreadsPerSocket = 2 };
        options.ListeningIps.Add("127.0.0.1");
        options.ListeningIps.Add("::1");
        options.TcpIdleTimeout = TimeSpan.FromSeconds(2);
        options.MaxTcpConnections = 4;
        _server = await StunServer.StartAsync(options, _log.CreateFactory());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IPEndPoint Udp(AddressFamily family) => _server.UdpEndPoints.First(e => e.AddressFamily == family);

    private IPEndPoint Tcp => _server.TcpEndPoints.First(e => e.AddressFamily == AddressFamily.InterNetwork);

    /// <summary>Sends a request and returns the response with its transaction id, passing over late answers to
    /// earlier datagrams.</summary>
    private static async Task<StunMessage> ExchangeAsync(Socket client, IPEndPoint server, byte[] request)
    {
        await client.SendToAsync(request, server);
        TransactionId expected = TransactionId.Read(request.AsSpan(8));
        byte[] buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var any = new IPEndPoint(client.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (true)
        {
            SocketReceiveFromResult result = await client.ReceiveFromAsync(buffer, any, timeout.Token);
            if (StunMessage.TryParse(buffer.AsMemory(0, result.ReceivedBytes).ToArray(), out StunMessage candidate)
                && candidate.TransactionId == expected)
            {
                return Requests.Parse(buffer.AsSpan(0, result.ReceivedBytes));
            }
        }
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public async Task A_udp_client_learns_its_own_address(AddressFamily family)
    {
        using var client = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));

        StunMessage response = await ExchangeAsync(client, Udp(family), Requests.Binding());

        Assert.True(response.TryGet(out XorMappedAddress mapped));
        Assert.Equal(client.LocalEndPoint, mapped.Address.ToIPEndPoint());
    }

    [Fact]
    public async Task A_tcp_client_gets_an_answer_to_each_message_even_when_they_arrive_together_or_in_pieces()
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(Tcp);
        NetworkStream stream = client.GetStream();
        byte[] first = Requests.Binding();
        byte[] second = Requests.Binding();
        byte[] third = Requests.Binding();
        await stream.WriteAsync((byte[])[.. first, .. second, .. third.AsSpan(0, 7)]);
        await Task.Delay(50);
        await stream.WriteAsync(third.AsMemory(7));

        foreach (byte[] request in new[] { first, second, third })
        {
            byte[] header = new byte[20];
            await stream.ReadExactlyAsync(header);
            byte[] body = new byte[(header[2] << 8) | header[3]];
            await stream.ReadExactlyAsync(body);
            StunMessage response = Requests.Parse([.. header, .. body]);
            Assert.Equal(TransactionId.Read(request.AsSpan(8)), response.TransactionId);
            Assert.True(response.TryGet(out XorMappedAddress mapped));
            Assert.Equal(client.Client.LocalEndPoint, mapped.Address.ToIPEndPoint());
        }
    }

    [Fact]
    public async Task A_tcp_connection_that_sends_something_else_is_closed()
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(Tcp);
        await client.GetStream().WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await client.GetStream().ReadAsync(new byte[64], timeout.Token));
    }

    [Fact]
    public async Task An_idle_tcp_connection_is_closed_after_the_timeout()
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(Tcp);
        await client.GetStream().WriteAsync(Requests.Binding().AsMemory(0, 10)); // half a header, then nothing
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.Equal(0, await client.GetStream().ReadAsync(new byte[64], timeout.Token));
    }

    [Fact]
    public async Task Connections_over_the_limit_are_refused_and_the_others_still_served()
    {
        var clients = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 6; i++)
            {
                var client = new TcpClient(AddressFamily.InterNetwork);
                await client.ConnectAsync(Tcp);
                clients.Add(client);
            }

            // Read from all at once: the ones past the limit see the server close them; the others stay open.
            bool[] closed = await Task.WhenAll(clients.Select(IsClosedSoonAsync));
            Assert.Equal(2, closed.Count(c => c));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<bool> IsClosedSoonAsync(TcpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        try
        {
            return await client.GetStream().ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    [Fact]
    public async Task A_hundred_thousand_random_and_mutated_datagrams_leave_the_server_answering_and_quiet()
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        IPEndPoint server = Udp(AddressFamily.InterNetwork);
        var random = new Random(5780);
        byte[] valid = Requests.Binding((ref StunMessageBuilder b) => b.Add(new Username("fuzz")));
        byte[] datagram = new byte[600];
        for (int i = 0; i < 100_000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(0, datagram.Length);
                random.NextBytes(datagram.AsSpan(0, length));
            }
            else
            {
                length = valid.Length;
                valid.CopyTo(datagram, 0);
                datagram[random.Next(length)] ^= (byte)(1 << random.Next(8));
            }

            client.SendTo(datagram.AsSpan(0, length), SocketFlags.None, server);
            if (i % 64 == 0)
            {
                // Drain whatever answers came back so the client's receive buffer never overflows.
                while (client.Available > 0)
                {
                    client.Receive(datagram);
                }
            }
        }

        while (client.Available > 0)
        {
            client.Receive(new byte[2048]);
        }

        StunMessage response = await ExchangeAsync(client, server, Requests.Binding());
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.Equal(0, _log.Warnings);
    }
}
