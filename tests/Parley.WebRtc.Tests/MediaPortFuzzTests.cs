using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.WebRtc.Dtls;

namespace Parley.WebRtc.Tests;

/// <summary>Random and malformed datagrams at the shared media port, from an unknown address and from a peer's
/// nominated address: nothing is answered but valid checks, the port keeps working, no transport appears or leaks.</summary>
public sealed class MediaPortFuzzTests
{
    [Fact]
    public async Task Random_datagrams_never_stop_the_port_nor_create_transports()
    {
        await using WebRtcServer server = WebRtcServer.Start(new WebRtcServerOptions { Port = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        Assert.True(CertificateFingerprint.TryParse("sha-256 " + string.Join(':', Enumerable.Repeat("11", 32)), out CertificateFingerprint? fingerprint));
        WebRtcTransport transport = server.CreateTransport(fingerprint, "peer");
        int media = 0;
        transport.MediaReceived = (_, _) => Interlocked.Increment(ref media);

        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.ReceiveTimeout = 5000;
        Assert.Equal(StunMessageType.BindingSuccess, await CheckAsync(peer, server, transport)); // binds the peer's address

        var random = new Random(11);
        byte[] datagram = new byte[1400];
        int rtpLike = 0;
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(1, datagram.Length);
            random.NextBytes(datagram.AsSpan(0, length));
            if (i % 4 == 0)
            {
                datagram[0] = (byte)random.Next(0, 4); // STUN-looking
            }
            else if (i % 4 == 1)
            {
                datagram[0] = (byte)random.Next(20, 64); // DTLS-looking: goes to the handshake, which discards it
            }
            else if (i % 4 == 2)
            {
                datagram[0] = (byte)random.Next(128, 192); // RTP/RTCP-looking
            }

            if (datagram[0] is >= 128 and <= 191)
            {
                rtpLike++;
            }

            await peer.SendToAsync(datagram.AsMemory(0, length), server.LocalEndPoint);
            if (i % 500 == 0)
            {
                await Task.Delay(1); // let the port keep up (the kernel drops what overflows its buffer, not the server)
            }
        }

        // The port still answers checks, and only the one transport exists.
        Assert.Equal(StunMessageType.BindingSuccess, await CheckAsync(peer, server, transport));
        Assert.Equal(1, server.TransportCount);
        Assert.InRange(media, 1, rtpLike); // RTP-looking datagrams from the bound address reach the transport's handler
        transport.Dispose();
        Assert.Equal(0, server.TransportCount);
    }

    private static async Task<StunMessageType> CheckAsync(Socket peer, WebRtcServer server, WebRtcTransport transport)
    {
        byte[] request = new byte[256];
        var builder = new StunMessageBuilder(request, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username($"{transport.LocalCredentials.Ufrag}:peer"));
        builder.Add(new Priority(1));
        builder.Add(new IceControlling(1));
        builder.Add(default(UseCandidate));
        builder.AddMessageIntegrity(StunCredentials.ShortTermKey(transport.LocalCredentials.Password));
        builder.AddFingerprint();
        int length = builder.Length;
        byte[] answer = new byte[512];
        for (int attempt = 0; attempt < 50; attempt++)
        {
            await peer.SendToAsync(request.AsMemory(0, length), server.LocalEndPoint);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            try
            {
                while (true)
                {
                    int received = await peer.ReceiveAsync(answer.AsMemory(), SocketFlags.None, timeout.Token);
                    if (StunMessage.TryParse(answer.AsMemory(0, received), out StunMessage response) && response.Class != StunClass.Request)
                    {
                        return response.Type;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // retry: the port may still be draining the flood
            }
        }

        throw new TimeoutException("the media port no longer answers checks");
    }
}
