using System.Net;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>Relaying with Send and Data indications (RFC 8656 §10) to a real UDP peer, and the permission check on
/// both directions.</summary>
public sealed class SendAndDataIndicationTests : AllocatedClientFixture
{
    private protected override void Configure(TurnServerOptions options)
    {
        options.AllowedPeerRanges.Add("127.0.0.0/8");
        options.AllowedPeerRanges.Add("::1/128");
        options.RelayIps.Add("127.0.0.1");
        options.RelayIps.Add("::1");
    }

    private static byte[] Payload(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(170)]
    [InlineData(1200)]
    [InlineData(8000)]
    public async Task A_send_indication_reaches_the_peer_exactly_and_the_answer_comes_back_as_a_data_indication(int length)
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());
        byte[] outbound = Payload(length, length);

        await Client.SendIndicationAsync(Peer.Address, outbound);
        (TransportAddress from, byte[] received) = await Peer.ReceiveAsync();

        Assert.Equal(outbound, received);
        Assert.Equal(Client.RelayedAddress, from);

        byte[] inbound = Payload(length + 3, -length);
        await Peer.SendAsync(Client.RelayedAddress, inbound);
        (TransportAddress peer, byte[] data) = await Client.ReceiveDataIndicationAsync();

        Assert.Equal(Peer.Address, peer);
        Assert.Equal(inbound, data);
        // (each packet is counted just after it is sent on)
        await Eventually.TrueAsync(() => Turn.Counters.PacketsRelayedIn == 1 && Turn.Counters.PacketsRelayedOut == 1,
            "one packet is counted each way");
        Assert.Equal(length, Turn.Counters.BytesRelayedOut);
        Assert.Equal(length + 3, Turn.Counters.BytesRelayedIn);
    }

    [Fact]
    public async Task An_empty_datagram_is_relayed_both_ways()
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());

        await Client.SendIndicationAsync(Peer.Address, []);
        Assert.Empty((await Peer.ReceiveAsync()).Data);

        await Peer.SendAsync(Client.RelayedAddress, []);
        Assert.Empty((await Client.ReceiveDataIndicationAsync()).Data);
    }

    [Fact]
    public async Task Without_a_permission_nothing_is_relayed_either_way()
    {
        await Client.SendIndicationAsync(Peer.Address, Payload(100, 1));
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= 1, "the Send indication is dropped");

        await Peer.SendAsync(Client.RelayedAddress, Payload(100, 2));
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= 2, "the peer's datagram is dropped");

        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));
        Assert.Null(await Client.TryReceiveRelayedAsync(Eventually.Quiet));
        Assert.Equal(0, Turn.Counters.PacketsRelayedOut);
        Assert.Equal(0, Turn.Counters.PacketsRelayedIn);
        Assert.Equal(2, Turn.Counters.PacketsDropped);
    }

    [Fact]
    public async Task A_permission_for_another_address_does_not_let_the_peer_through()
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(TransportAddress.FromIPAddress(IPAddress.Parse("127.0.0.2"), Peer.Address.Port))).ErrorCode());

        await Client.SendIndicationAsync(Peer.Address, Payload(10, 3));
        await Peer.SendAsync(Client.RelayedAddress, Payload(10, 4));
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= 2, "both datagrams are dropped");

        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));
        Assert.Null(await Client.TryReceiveRelayedAsync(Eventually.Quiet));
    }

    [Fact]
    public async Task A_permission_covers_every_port_of_the_peers_address()
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address.WithPort(1))).ErrorCode());
        using var other = new UdpPeer(IPAddress.Loopback);

        await other.SendAsync(Client.RelayedAddress, [7, 7, 7]);
        (TransportAddress from, byte[] data) = await Client.ReceiveDataIndicationAsync();

        Assert.Equal(other.Address, from);
        Assert.Equal([7, 7, 7], data);
    }

    [Fact]
    public async Task A_send_indication_from_a_client_without_an_allocation_is_dropped()
    {
        using TurnTestClient stranger = Turn.UdpClient();
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());

        await stranger.SendIndicationAsync(Peer.Address, [1, 2, 3]);
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= 1, "the Send indication is dropped");

        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));
    }

    [Fact]
    public async Task An_ipv6_allocation_relays_to_an_ipv6_peer()
    {
        using TurnTestClient client = Turn.UdpClient("v6");
        TransportAddress relayed = await client.AllocateOkAsync(
            (ref StunMessageBuilder b) => b.Add(new Parley.Stun.Attributes.RequestedAddressFamily(StunAddressFamily.IPv6)));
        using var peer = new UdpPeer(IPAddress.IPv6Loopback);
        Assert.Equal(0, (await client.CreatePermissionAsync(peer.Address)).ErrorCode());

        await client.SendIndicationAsync(peer.Address, [1, 2, 3, 4, 5]);
        (TransportAddress from, byte[] data) = await peer.ReceiveAsync();
        Assert.Equal(relayed, from);
        Assert.Equal([1, 2, 3, 4, 5], data);

        await peer.SendAsync(relayed, [9, 8, 7]);
        (TransportAddress source, byte[] back) = await client.ReceiveDataIndicationAsync();
        Assert.Equal(peer.Address, source);
        Assert.Equal([9, 8, 7], back);
    }
}
