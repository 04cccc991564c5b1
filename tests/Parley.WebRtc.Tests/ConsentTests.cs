using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.WebRtc.Dtls;

namespace Parley.WebRtc.Tests;

/// <summary>The shared port answers checks for the transport named by USERNAME and closes silent transports.</summary>
public sealed class ConsentTests
{
    [Fact]
    public async Task A_transport_whose_peer_stops_checking_is_closed_after_the_consent_timeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using WebRtcServer server = WebRtcServer.Start(new WebRtcServerOptions { Port = 0 }, time, NullLoggerFactory.Instance);
        Assert.True(CertificateFingerprint.TryParse("sha-256 " + string.Join(':', Enumerable.Repeat("00", 32)), out CertificateFingerprint? fingerprint));
        WebRtcTransport transport = server.CreateTransport(fingerprint!, "peer");

        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] request = new byte[256];
        var builder = new StunMessageBuilder(request, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username($"{transport.LocalCredentials.Ufrag}:peer"));
        builder.Add(new Priority(1));
        builder.Add(new IceControlling(1));
        builder.Add(default(UseCandidate));
        builder.AddMessageIntegrity(StunCredentials.ShortTermKey(transport.LocalCredentials.Password));
        builder.AddFingerprint();
        await peer.SendToAsync(builder.Message.ToArray(), server.LocalEndPoint);
        byte[] answer = new byte[512];
        int length = await peer.ReceiveAsync(answer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(StunMessage.TryParse(answer.AsMemory(0, length), out StunMessage response));
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.Equal(((IPEndPoint)peer.LocalEndPoint!).Port, transport.SelectedRemote!.Value.Port);

        time.Advance(TimeSpan.FromSeconds(29));
        server.Sweep();
        Assert.False(transport.Closed.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        server.Sweep();
        Assert.True(transport.Closed.IsCompleted);
        Assert.Equal(0, server.TransportCount);
    }
}
