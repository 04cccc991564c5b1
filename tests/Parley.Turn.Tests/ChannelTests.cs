using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>ChannelBind (RFC 8656 §11) and ChannelData (§12) over UDP, to a real UDP peer.</summary>
public sealed class ChannelTests : AllocatedClientFixture
{
    private protected override void Configure(TurnServerOptions options)
    {
        options.AllowedPeerRanges.Add("127.0.0.0/8");
        options.AllowedPeerRanges.Add("::1/128");
    }

    [Theory]
    [InlineData((ushort)0x4000, 170)]
    [InlineData((ushort)0x4FFF, 1)]
    [InlineData((ushort)0x7FFF, 1201)] // RFC 5766's upper end, which coturn's clients use
    public async Task After_channel_bind_channel_data_flows_both_ways(ushort channel, int length)
    {
        StunMessage bound = await Client.ChannelBindAsync(channel, Peer.Address);
        Assert.Equal(StunMessageType.ChannelBindSuccess, bound.Type);
        byte[] outbound = new byte[length];
        Random.Shared.NextBytes(outbound);

        await Client.SendChannelDataAsync(channel, outbound);
        (TransportAddress from, byte[] received) = await Peer.ReceiveAsync();

        Assert.Equal(outbound, received);
        Assert.Equal(Client.RelayedAddress, from);

        byte[] inbound = [.. outbound.Reverse(), 42];
        await Peer.SendAsync(Client.RelayedAddress, inbound);
        (ushort arrivedOn, byte[] data, int frameLength) = await Client.ReceiveChannelDataAsync();

        Assert.Equal(channel, arrivedOn);
        Assert.Equal(inbound, data);
        Assert.Equal(4 + inbound.Length, frameLength); // unpadded over UDP
        Assert.Equal((1, 1), Turn.Turn.BindingCounts); // the binding installed the permission
    }

    [Fact]
    public async Task The_peer_reaches_the_client_as_a_data_indication_until_the_channel_is_bound_then_as_channel_data()
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());

        await Peer.SendAsync(Client.RelayedAddress, [1]);
        Assert.Equal([1], (await Client.ReceiveDataIndicationAsync()).Data);

        Assert.Equal(0, (await Client.ChannelBindAsync(0x4001, Peer.Address)).ErrorCode());
        await Peer.SendAsync(Client.RelayedAddress, [2]);
        (ushort channel, byte[] data, _) = await Client.ReceiveChannelDataAsync();

        Assert.Equal(0x4001, channel);
        Assert.Equal([2], data);
    }

    [Fact]
    public async Task Binding_again_the_same_number_to_the_same_peer_refreshes_it()
    {
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());

        Assert.Equal(1, Turn.Counters.ChannelsBound);
    }

    [Fact]
    public async Task A_number_bound_to_another_peer_or_a_peer_bound_to_another_number_gets_400()
    {
        using var other = new UdpPeer(IPAddress.Loopback);
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());

        Assert.Equal(StunErrorCodes.BadRequest, (await Client.ChannelBindAsync(0x4000, other.Address)).ErrorCode());
        Assert.Equal(StunErrorCodes.BadRequest, (await Client.ChannelBindAsync(0x4001, Peer.Address)).ErrorCode());
        Assert.Equal((1, 1), Turn.Turn.BindingCounts);

        // The same port on another address is another peer, as is another port on the same address.
        Assert.Equal(StunErrorCodes.BadRequest,
            (await Client.ChannelBindAsync(0x4000, Peer.Address.WithPort((ushort)(Peer.Address.Port + 1)))).ErrorCode());
    }

    [Theory]
    [InlineData((ushort)0x0000)]
    [InlineData((ushort)0x3FFF)]
    [InlineData((ushort)0x8000)]
    [InlineData((ushort)0xFFFF)]
    public async Task A_channel_number_outside_the_range_gets_400(ushort channel)
    {
        StunMessage response = await Client.ChannelBindAsync(channel, Peer.Address);

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
        Assert.Equal((0, 0), Turn.Turn.BindingCounts);
    }

    [Fact]
    public async Task A_channel_bind_without_channel_number_or_peer_gets_400()
    {
        Assert.Equal(StunErrorCodes.BadRequest, (await Client.RequestAsync(StunMethod.ChannelBind,
            (ref StunMessageBuilder b) => b.Add(new XorPeerAddress(Peer.Address)))).ErrorCode());
        Assert.Equal(StunErrorCodes.BadRequest, (await Client.RequestAsync(StunMethod.ChannelBind,
            (ref StunMessageBuilder b) => b.Add(new ChannelNumber(0x4000)))).ErrorCode());
    }

    [Fact]
    public async Task A_channel_bind_without_an_allocation_gets_437()
    {
        using TurnTestClient stranger = Turn.UdpClient();

        Assert.Equal(StunErrorCodes.AllocationMismatch, (await stranger.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());
    }

    [Fact]
    public async Task Channel_data_on_an_unbound_channel_or_from_a_client_without_an_allocation_is_dropped()
    {
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());
        using TurnTestClient stranger = Turn.UdpClient();

        await Client.SendChannelDataAsync(0x4001, [1, 2, 3]);
        await stranger.SendChannelDataAsync(0x4000, [4, 5, 6]);
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= 2, "both are dropped");

        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));
        Assert.Equal(0, Turn.Counters.PacketsRelayedOut);
    }

    [Fact]
    public async Task Channel_data_shorter_than_its_length_field_is_dropped_and_padding_after_it_is_ignored()
    {
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());

        await Client.SendAsync(new byte[] { 0x40, 0x00, 0x00, 0x08, 1, 2, 3 }); // says 8, carries 3
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= 1, "the short one is dropped");
        await Client.SendAsync(new byte[] { 0x40, 0x00, 0x00, 0x03, 1, 2, 3, 0 }); // padded to 4 over UDP (allowed)

        Assert.Equal([1, 2, 3], (await Peer.ReceiveAsync()).Data);
    }
}
