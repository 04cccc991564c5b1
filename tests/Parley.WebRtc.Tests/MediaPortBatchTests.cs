using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Stun;

namespace Parley.WebRtc.Tests;

/// <summary>
/// The media port's packet path without DTLS: SRTP-looking datagrams from a peer bound by a valid check reach the
/// transport's media handler, and what the handler sends back on the selected path (as the SFU fans media out) goes
/// out, batched on the port's thread on Linux and one by one otherwise; the batched path allocates nothing per packet.
/// </summary>
public sealed class MediaPortBatchTests
{
    private static byte[] Packet(int i)
    {
        byte[] packet = new byte[1200];
        packet[0] = 0x80; // RTP version 2 (first byte 128-191: media, RFC 7983)
        packet[1] = 96;
        BitConverter.TryWriteBytes(packet.AsSpan(4), i);
        packet[^1] = (byte)i;
        return packet;
    }

    private static async Task<(WebRtcServer Server, WebRtcTransport Transport, Socket Peer)> StartAsync(bool batched)
    {
        WebRtcServer server = WebRtcServer.Start(
            new WebRtcServerOptions { Port = 0, TcpEnabled = false, BatchedUdp = batched }, TimeProvider.System, NullLoggerFactory.Instance);
        WebRtcTransport transport = server.CreateTransport(null, null);
        var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        peer.ReceiveBufferSize = 4 << 20;
        transport.OnValidCheck(TransportAddress.FromIPEndPoint((IPEndPoint)peer.LocalEndPoint!), nominated: true);
        await Task.Yield();
        return (server, transport, peer);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Media_reaches_the_handler_and_what_it_sends_back_reaches_the_peer(bool batched)
    {
        (WebRtcServer server, WebRtcTransport transport, Socket peer) = await StartAsync(batched);
        await using (server)
        using (peer)
        {
            Assert.Equal(batched && OperatingSystem.IsLinux(), server.IsBatched);
            const int Copies = 3; // each packet fans out to three "subscribers" (here all the same peer)
            transport.MediaReceived = (t, datagram) =>
            {
                for (int c = 0; c < Copies; c++)
                {
                    datagram[2] = (byte)c;
                    t.SendToSelected(datagram);
                }
            };

            const int Count = 100;
            var received = new HashSet<(int, int)>();
            byte[] buffer = new byte[2048];
            for (int i = 0; i < Count; i++)
            {
                peer.SendTo(Packet(i), server.LocalEndPoint);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (received.Count < Count * Copies)
            {
                int length = await peer.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.Equal(1200, length);
                int i = BitConverter.ToInt32(buffer, 4);
                Assert.Equal((byte)i, buffer[length - 1]);
                Assert.True(received.Add((i, buffer[2])), "a packet arrived twice");
            }

            // A send from another thread (signalling, timers) goes out at once, not into the port thread's batch.
            transport.SendToSelected(Packet(12345));
            int other = await peer.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.Equal(12345, BitConverter.ToInt32(buffer, 4));
            Assert.Equal(1200, other);
        }
    }

    [Fact]
    public async Task Receiving_dispatching_and_sending_a_packet_allocate_nothing_in_steady_state()
    {
        (WebRtcServer server, WebRtcTransport transport, Socket peer) = await StartAsync(batched: true);
        await using (server)
        using (peer)
        {
            const int Warmup = 300, Measured = 2000;
            long[] allocatedAt = new long[Warmup + Measured];
            int handled = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            transport.MediaReceived = (t, datagram) =>
            {
                // The port's thread: its allocation counter covers receive, dispatch and the batched sends.
                if (handled < allocatedAt.Length)
                {
                    allocatedAt[handled] = GC.GetAllocatedBytesForCurrentThread();
                }

                t.SendToSelected(datagram);
                t.SendToSelected(datagram);
                if (++handled == allocatedAt.Length)
                {
                    done.TrySetResult();
                }
            };

            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            Task draining = DrainAsync(peer, cancel.Token);
            byte[] packet = Packet(1);
            for (int i = 0; i < allocatedAt.Length && !done.Task.IsCompleted; i++)
            {
                peer.SendTo(packet, server.LocalEndPoint);
                if (i % 16 == 15)
                {
                    await Task.Delay(1); // a paced sender, so the port's socket does not overflow
                }
            }

            // Datagrams lost on loopback under load are sent again until the handler has seen enough.
            while (!done.Task.IsCompleted)
            {
                peer.SendTo(packet, server.LocalEndPoint);
                await Task.WhenAny(done.Task, Task.Delay(1, cancel.Token));
            }

            await done.Task.WaitAsync(cancel.Token);
            await cancel.CancelAsync();
            await draining;
            var steps = Enumerable.Range(Warmup + 1, Measured - 1).Where(i => allocatedAt[i] != allocatedAt[i - 1])
                .Select(i => $"{i}: {allocatedAt[i] - allocatedAt[i - 1]}");
            // Nothing per packet: one allocation of 8 bytes per packet would be 16,000 here. The runtime may allocate a
            // few bytes once on the thread (tiered compilation replacing code mid-run), hence not exactly 0.
            Assert.True(allocatedAt[^1] - allocatedAt[Warmup] < 256, "allocated at packets " + string.Join(", ", steps));
        }
    }

    private static async Task DrainAsync(Socket peer, CancellationToken cancel)
    {
        byte[] buffer = new byte[2048];
        try
        {
            while (true)
            {
                await peer.ReceiveAsync(buffer, SocketFlags.None, cancel);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
