using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>
/// Random and mutated input at the UDP port and on TCP connections: nothing reaches an exception handler (no
/// warning is logged), the server still answers, and whatever allocations the input made are gone after Refresh 0
/// and the sweep.
/// </summary>
public sealed class FuzzTests
{
    private static Task<TurnHarness> StartAsync() => TurnHarness.StartAsync(o =>
    {
        o.AllowedPeerRanges.Add("127.0.0.0/8");
        o.AllowedPeerRanges.Add("::1/128");
        o.RelayIps.Add("127.0.0.1");
        o.RelayIps.Add("::1");
        o.UnauthenticatedRequestsPerSecond = 0; // answer everything: more of the server runs
    });

    /// <summary>The attributes (before the credentials) of the valid requests the mutations start from.</summary>
    private static List<(StunMethod Method, List<(StunAttributeType, byte[])> Attributes)> RequestTemplates(TransportAddress peer)
    {
        byte[] Value<T>(T attribute) where T : struct, IStunAttribute<T>
        {
            byte[] value = new byte[attribute.ValueLength];
            attribute.WriteValue(value, default); // XOR attributes get re-coded under another id: still an address
            return value;
        }

        return
        [
            (StunMethod.Allocate, [(StunAttributeType.RequestedTransport, Value(new RequestedTransport(IpProtocol.Udp))),
                (StunAttributeType.Lifetime, Value(new Lifetime(600))), (StunAttributeType.EvenPort, Value(new EvenPort(true)))]),
            (StunMethod.Allocate, [(StunAttributeType.RequestedTransport, Value(new RequestedTransport(IpProtocol.Udp))),
                (StunAttributeType.AdditionalAddressFamily, Value(new AdditionalAddressFamily(StunAddressFamily.IPv6))),
                (StunAttributeType.DontFragment, [])]),
            (StunMethod.Refresh, [(StunAttributeType.Lifetime, Value(new Lifetime(600)))]),
            (StunMethod.CreatePermission, [(StunAttributeType.XorPeerAddress, Value(new XorPeerAddress(peer))),
                (StunAttributeType.XorPeerAddress, Value(new XorPeerAddress(peer.WithPort(1))))]),
            (StunMethod.ChannelBind, [(StunAttributeType.ChannelNumber, Value(new ChannelNumber(0x4002))),
                (StunAttributeType.XorPeerAddress, Value(new XorPeerAddress(peer)))]),
            (StunMethod.Connect, [(StunAttributeType.XorPeerAddress, Value(new XorPeerAddress(peer)))]),
            (StunMethod.ConnectionBind, [(StunAttributeType.ConnectionId, [0, 0, 0, 1])]),
        ];
    }

    private static byte[] BuildSigned(TurnTestClient client, StunMessageType type, List<(StunAttributeType Type, byte[] Value)> attributes) =>
        client.Build(type, (ref StunMessageBuilder b) =>
        {
            foreach ((StunAttributeType attributeType, byte[] value) in attributes)
            {
                b.AddRaw(attributeType, value);
            }
        });

    [Fact]
    public async Task Twenty_thousand_random_and_mutated_datagrams_leave_the_server_answering_quiet_and_without_allocations()
    {
        await using TurnHarness turn = await StartAsync();
        using var peer = new UdpPeer(IPAddress.Loopback);
        using TurnTestClient client = turn.UdpClient();
        using TurnTestClient stranger = turn.UdpClient("stranger");
        await client.AllocateOkAsync();
        Assert.Equal(0, (await client.ChannelBindAsync(0x4001, peer.Address)).ErrorCode());
        await stranger.ChallengeAsync();

        var templates = RequestTemplates(peer.Address);
        byte[][] valid =
        [
            .. templates.Select(t => BuildSigned(client, new StunMessageType(t.Method, StunClass.Request), t.Attributes)),
            client.BuildSendIndication(peer.Address, new byte[60]),
            client.BuildSendIndication(TransportAddress.FromIPAddress(IPAddress.IPv6Loopback, 9), new byte[20]),
            client.BuildChannelData(0x4001, new byte[60]),
            client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp, authenticate: false),
        ];

        var mutator = new Mutator(8656);
        // Signed requests with changed attributes are built up front, so the loop only sends.
        var signed = new List<byte[]>();
        for (int i = 0; i < 2_000; i++)
        {
            (StunMethod method, var attributes) = templates[mutator.Random.Next(templates.Count)];
            TurnTestClient from = mutator.Random.Next(4) == 0 ? stranger : client;
            signed.Add(BuildSigned(from, mutator.MessageType(method), mutator.MutateAttributes(attributes)));
        }

        SendDatagrams(client, stranger, peer, mutator, valid, signed, count: 20_000);

        // The input reached the deep paths: signed requests were handled, and relayed datagrams got through.
        await Eventually.TrueAsync(() => turn.Counters.AuthFailures > 1_000 && turn.Counters.PacketsRelayedOut > 50,
            $"the input is handled (auth failures {turn.Counters.AuthFailures}, relayed {turn.Counters.PacketsRelayedOut})");

        // The server works through what is queued; then a new client is served from the start (with reservations
        // the input made, 30 s long, let go first).
        turn.Advance(TimeSpan.FromSeconds(31));
        using TurnTestClient fresh = turn.UdpClient("fresh");
        Assert.Equal(0, (await fresh.AllocateAsync()).ErrorCode());
        Assert.Equal(0, (await fresh.RefreshAsync(0)).ErrorCode());
        client.Drain();
        stranger.Drain();
        int refreshed = (await client.RefreshAsync(0)).ErrorCode();
        Assert.True(refreshed is 0 or StunErrorCodes.AllocationMismatch, $"Refresh 0 answered {refreshed}");
        turn.Advance(turn.Options.MaxAllocateLifetime + TimeSpan.FromMinutes(1));

        Assert.Equal(0, turn.Turn.AllocationCount);
        Assert.True(turn.Log.Warnings == 0, turn.Log.Report);
    }

    /// <summary>The sending loop, synchronous so that the server gets the datagrams back to back.</summary>
    private static void SendDatagrams(TurnTestClient client, TurnTestClient stranger, UdpPeer peer, Mutator mutator,
        byte[][] valid, List<byte[]> signed, int count)
    {
        byte[] datagram = new byte[StunMessageBuilder.MaxMessageLength + Mutator.MaxLength];
        Random random = mutator.Random;
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(10) switch
            {
                0 or 1 => mutator.RandomBytes(datagram),
                2 => mutator.ChannelData(datagram, padded: random.Next(2) == 0),
                3 => Copy(signed[random.Next(signed.Count)], datagram),
                4 => Copy(valid[random.Next(valid.Length)], datagram),
                _ => mutator.MutateBytesKeepingFingerprint(valid[random.Next(valid.Length)], datagram),
            };
            Socket socket = random.Next(4) == 0 ? stranger.Socket : client.Socket;
            socket.Send(datagram.AsSpan(0, length));
            if (i % 64 == 0)
            {
                client.Drain();
                stranger.Drain();
                while (peer.Socket.Available > 0)
                {
                    peer.Socket.Receive(datagram);
                }
            }
        }
    }

    private static int Copy(byte[] source, byte[] destination)
    {
        source.CopyTo(destination, 0);
        return source.Length;
    }

    [Fact]
    public async Task Hundreds_of_random_and_mutated_tcp_frames_leave_the_server_answering_quiet_and_without_allocations()
    {
        await using TurnHarness turn = await StartAsync();
        using var peer = new UdpPeer(IPAddress.Loopback);
        var mutator = new Mutator(6062);
        var clients = new List<TurnTestClient>();
        try
        {
            for (int c = 0; c < 16; c++)
            {
                TurnTestClient client = await turn.TcpClientAsync(c % 2 == 0 ? "alice" : "bob");
                clients.Add(client);
                switch (c % 4)
                {
                    case 0:
                        await client.AllocateOkAsync();
                        Assert.Equal(0, (await client.ChannelBindAsync(0x4001, peer.Address)).ErrorCode());
                        break;
                    case 1:
                        Assert.Equal(0, (await client.RequestAsync(StunMethod.Allocate,
                            (ref StunMessageBuilder b) => b.Add(new RequestedTransport(IpProtocol.Tcp)))).ErrorCode());
                        break;
                    default:
                        await client.ChallengeAsync();
                        break;
                }
            }

            var templates = RequestTemplates(peer.Address);
            byte[] frame = new byte[StunMessageBuilder.MaxMessageLength + Mutator.MaxLength];
            int sent = 0;
            for (int round = 0; round < 30; round++)
            {
                foreach (TurnTestClient client in clients)
                {
                    if (client.RemoteClosed)
                    {
                        continue;
                    }

                    (StunMethod method, var attributes) = templates[mutator.Random.Next(templates.Count)];
                    byte[] signed = BuildSigned(client, mutator.MessageType(method), mutator.MutateAttributes(attributes));
                    int length = mutator.Random.Next(4) switch
                    {
                        0 => Copy(signed, frame),
                        1 => mutator.ChannelData(frame, padded: true, channel: 0x4001),
                        _ => mutator.StreamFrame(frame, mutator.Random.Next(2) == 0 ? signed : []),
                    };
                    if (round == 29 && clients.IndexOf(client) % 5 == 4)
                    {
                        frame[0] = 0xFF; // not a TURN frame: the server closes the connection
                    }

                    try
                    {
                        await client.SendAsync(frame.AsMemory(0, length));
                        sent++;
                    }
                    catch (IOException)
                    {
                        // the server closed it after an earlier frame
                    }
                }
            }

            Assert.True(sent >= 300, $"{sent} frames sent");
            using TurnTestClient fresh = await turn.TcpClientAsync("fresh");
            Assert.Equal(0, (await fresh.AllocateAsync()).ErrorCode());
            Assert.True(turn.Log.Warnings == 0, turn.Log.Report);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        await Eventually.TrueAsync(() => turn.Turn.AllocationCount == 0, "the connections' allocations are gone");
        turn.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, turn.Turn.TcpConnectionCount);
        Assert.True(turn.Log.Warnings == 0, turn.Log.Report);
    }
}
