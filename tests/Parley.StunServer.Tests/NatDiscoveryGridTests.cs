using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.StunServer.Tests;

/// <summary>RFC 5780 on two loopback addresses: the response leaves from the socket CHANGE-REQUEST asks for.</summary>
public sealed class NatDiscoveryGridTests
{
    [Fact]
    public async Task Each_change_request_is_answered_from_the_socket_it_names()
    {
        var options = new StunServerOptions { ListeningPort = 0, AlternatePort = 0, AlternateIp = "127.0.0.2", TcpEnabled = false };
        options.ListeningIps.Add("127.0.0.1");
        using var log = new CountingLoggerProvider();
        await using StunServer server = await StunServer.StartAsync(options, log.CreateFactory());
        NatDiscoveryGrid grid = server.Grid!.Value;

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        foreach ((bool changeIp, bool changePort) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            byte[] request = Requests.Binding((ref StunMessageBuilder b) => b.Add(new ChangeRequest(changeIp, changePort)));
            await client.SendToAsync(request, grid.Primary.ToIPEndPoint());
            byte[] buffer = new byte[2048];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            SocketReceiveFromResult result = await client.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), timeout.Token);

            TransportAddress expected = grid.Get(changeIp ? 1 : 0, changePort ? 1 : 0);
            Assert.Equal(expected.ToIPEndPoint(), result.RemoteEndPoint);
            StunMessage response = Requests.Parse(buffer.AsSpan(0, result.ReceivedBytes));
            Assert.True(response.TryGet(out ResponseOrigin origin));
            Assert.Equal(expected, origin.Address);
            Assert.True(response.TryGet(out OtherAddress other));
            Assert.Equal(grid.Alternate, other.Address);
        }
    }
}
