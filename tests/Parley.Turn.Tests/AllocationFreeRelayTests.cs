using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>Tests that measure the whole process's allocations run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationMeasurementCollection
{
    public const string Name = "Allocation measurements";
}

/// <summary>
/// The relay's packet paths allocate nothing per packet: after a warm-up, thousands of round trips client → server →
/// peer → server → client through an in-process server add no more than a small fixed amount to the bytes the
/// process has allocated. The client and peer loops below allocate nothing themselves (buffers made up front, the
/// span and <see cref="SocketAddress"/> overloads of blocking socket calls on sockets that never saw an async call).
/// </summary>
[Collection(AllocationMeasurementCollection.Name)]
public sealed class AllocationFreeRelayTests
{
    private const int Warmup = 2_000;
    private const int RoundTrips = 5_000;
    private const long Budget = 64 * 1024;
    private const int PayloadLength = 100;
    private const int Windows = 3;

    private static Task<TurnHarness> StartAsync() => TurnHarness.StartAsync(o => o.AllowedPeerRanges.Add("127.0.0.0/8"),
        loggers: NullLoggerFactory.Instance);

    [Fact]
    public async Task Relaying_channel_data_both_ways_allocates_nothing_per_packet()
    {
        await using TurnHarness turn = await StartAsync();
        using var peer = new UdpPeer(IPAddress.Loopback);
        using TurnTestClient client = turn.UdpClient();
        TransportAddress relayed = AllocateBlocking(client);
        Assert.Equal(0, client.RequestBlocking(StunMethod.ChannelBind, (ref StunMessageBuilder b) =>
        {
            b.Add(new ChannelNumber(0x4000));
            b.Add(new XorPeerAddress(peer.Address));
        }).ErrorCode());
        byte[] outbound = client.BuildChannelData(0x4000, new byte[PayloadLength]);
        var loop = new RoundTripLoop(client.Socket, outbound, dataOffset: ChannelData.HeaderLength, peer.Socket, relayed,
            expectedInboundLength: ChannelData.HeaderLength + PayloadLength, inboundDataOffset: ChannelData.HeaderLength);

        long allocated = loop.Measure(Warmup, RoundTrips);

        Assert.True(allocated < Budget,
            $"{allocated} bytes were allocated over {RoundTrips} round trips, {allocated / (2.0 * RoundTrips):F1} per relayed packet");
        await AssertCountedAsync(turn, outbound: true);
    }

    [Fact]
    public async Task Relaying_send_and_data_indications_allocates_nothing_per_packet()
    {
        await using TurnHarness turn = await StartAsync();
        using var peer = new UdpPeer(IPAddress.Loopback);
        using TurnTestClient client = turn.UdpClient();
        TransportAddress relayed = AllocateBlocking(client);
        Assert.Equal(0, client.RequestBlocking(StunMethod.CreatePermission,
            (ref StunMessageBuilder b) => b.Add(new XorPeerAddress(peer.Address))).ErrorCode());
        byte[] outbound = SendIndication(peer.Address);
        int dataOffset = outbound.Length - PayloadLength;
        const int DataIndicationLength = StunMessage.HeaderLength + 12 + 4 + PayloadLength; // XOR-PEER-ADDRESS (IPv4), DATA
        var loop = new RoundTripLoop(client.Socket, outbound, dataOffset, peer.Socket, relayed,
            expectedInboundLength: DataIndicationLength, inboundDataOffset: DataIndicationLength - PayloadLength);

        long allocated = loop.Measure(Warmup, RoundTrips);

        Assert.True(allocated < Budget,
            $"{allocated} bytes were allocated over {RoundTrips} round trips, {allocated / (2.0 * RoundTrips):F1} per relayed packet");
        await AssertCountedAsync(turn, outbound: false);
    }

    /// <summary>Every packet was relayed and counted (a packet is counted just after it is sent on).</summary>
    private static async Task AssertCountedAsync(TurnHarness turn, bool outbound)
    {
        const int Total = Warmup + (Windows * RoundTrips);
        await Eventually.TrueAsync(() => turn.Counters.PacketsRelayedIn == Total
            && (!outbound || turn.Counters.PacketsRelayedOut == Total), $"{Total} packets are counted each way");
    }

    /// <summary>The client's socket sees only blocking calls (see <see cref="TurnTestClient.RequestBlocking"/>).</summary>
    private static TransportAddress AllocateBlocking(TurnTestClient client)
    {
        StunMessage response = client.RequestBlocking(StunMethod.Allocate, TurnTestClient.RequestUdp);
        Assert.True(response.TryGet(out XorRelayedAddress relayed), $"the Allocate succeeds ({response})");
        return relayed.Address;
    }

    /// <summary>A Send indication without FINGERPRINT, so that the loop can number its payload in place.</summary>
    private static byte[] SendIndication(TransportAddress peer)
    {
        byte[] message = new byte[StunMessage.HeaderLength + 12 + 4 + PayloadLength];
        var builder = new StunMessageBuilder(message, StunMessageType.SendIndication, TransactionId.NewRandom());
        builder.Add(new XorPeerAddress(peer));
        Data.WriteTo(ref builder, new byte[PayloadLength]);
        Assert.Equal(message.Length, builder.Length);
        return message;
    }

    /// <summary>Client sends, the peer receives and answers, the client receives: blocking calls on pre-made buffers.</summary>
    private sealed class RoundTripLoop
    {
        private readonly Socket _client;
        private readonly byte[] _outbound;
        private readonly int _dataOffset;
        private readonly Socket _peer;
        private readonly SocketAddress _relayed;
        private readonly SocketAddress _from;
        private readonly int _expectedInboundLength;
        private readonly int _inboundDataOffset;
        private readonly byte[] _buffer = new byte[2048];

        public RoundTripLoop(Socket client, byte[] outbound, int dataOffset, Socket peer, TransportAddress relayed,
            int expectedInboundLength, int inboundDataOffset)
        {
            _client = client;
            _outbound = outbound;
            _dataOffset = dataOffset;
            _peer = peer;
            _relayed = relayed.ToIPEndPoint().Serialize();
            _from = new SocketAddress(peer.AddressFamily);
            _expectedInboundLength = expectedInboundLength;
            _inboundDataOffset = inboundDataOffset;
            _client.ReceiveTimeout = 5000;
            _peer.ReceiveTimeout = 5000;
        }

        /// <summary>
        /// Runs the warm-up, then returns the bytes the whole process allocated over <paramref name="count"/> round
        /// trips: the least of three such windows, so that the test host's own work (reporting the results of earlier
        /// tests) in one of them does not count. Anything allocated per packet shows in every window.
        /// </summary>
        public long Measure(int warmup, int count)
        {
            Run(0, warmup);
            long least = long.MaxValue;
            for (int window = 0; window < Windows; window++)
            {
                long before = GC.GetTotalAllocatedBytes(precise: true);
                Run(warmup + (window * count), count);
                least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
            }

            return least;
        }

        private void Run(int first, int count)
        {
            for (int i = first; i < first + count; i++)
            {
                // A sequence number in the payload, so each answer is checked to be this round's.
                BinaryPrimitives.WriteInt32BigEndian(_outbound.AsSpan(_dataOffset), i);
                _client.Send(_outbound.AsSpan(), SocketFlags.None);

                int received = _peer.ReceiveFrom(_buffer.AsSpan(), SocketFlags.None, _from);
                if (received != PayloadLength || BinaryPrimitives.ReadInt32BigEndian(_buffer) != i)
                {
                    throw new InvalidOperationException($"The peer got {received} bytes, not round {i}'s payload.");
                }

                _peer.SendTo(_buffer.AsSpan(0, received), SocketFlags.None, _relayed);

                int back = _client.Receive(_buffer.AsSpan(), SocketFlags.None);
                if (back != _expectedInboundLength || BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_inboundDataOffset)) != i)
                {
                    throw new InvalidOperationException($"The client got {back} bytes, not round {i}'s answer.");
                }
            }
        }
    }
}
