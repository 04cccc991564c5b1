using System.Net;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>Lifetimes on the fake clock: permissions last 5 minutes (RFC 8656 §9), channel bindings 10 (§11), an
/// allocation its LIFETIME (§7); once gone, nothing is relayed.</summary>
public sealed class ExpiryTests : AllocatedClientFixture
{
    private protected override void Configure(TurnServerOptions options) => options.AllowedPeerRanges.Add("127.0.0.0/8");

    private async Task AssertRelayedBothWaysAsync(byte marker)
    {
        await Client.SendIndicationAsync(Peer.Address, [marker]);
        Assert.Equal([marker], (await Peer.ReceiveAsync()).Data);
        await Peer.SendAsync(Client.RelayedAddress, [marker]);
        Assert.Equal([marker], (await Client.ReceiveDataIndicationAsync()).Data);
    }

    private async Task AssertNothingRelayedAsync()
    {
        long dropped = Turn.Counters.PacketsDropped;
        await Client.SendIndicationAsync(Peer.Address, [0xEE]);
        await Peer.SendAsync(Client.RelayedAddress, [0xEF]);
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= dropped + 2, "both datagrams are dropped");
        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));
        Assert.Null(await Client.TryReceiveRelayedAsync(Eventually.Quiet));
    }

    [Fact]
    public async Task A_permission_lasts_five_minutes_and_then_nothing_is_relayed()
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());

        Turn.Advance(TimeSpan.FromSeconds(299));
        await AssertRelayedBothWaysAsync(1);

        Turn.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, Turn.Turn.BindingCounts.Permissions);
        await AssertNothingRelayedAsync();
    }

    [Fact]
    public async Task Creating_the_permission_again_keeps_it_past_five_minutes()
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());

        Turn.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());
        Turn.Advance(TimeSpan.FromMinutes(4)); // 8 minutes after the first

        await AssertRelayedBothWaysAsync(2);
    }

    [Fact]
    public async Task A_channel_lasts_ten_minutes_after_which_channel_data_is_dropped_and_the_peer_comes_as_data_indications()
    {
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());

        // The permission (5 min) and the allocation (10 min) are kept alive; only the channel is left to lapse.
        Turn.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());
        Turn.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());
        Assert.Equal(0, (await Client.RefreshAsync()).ErrorCode());
        Turn.Advance(TimeSpan.FromSeconds(119)); // 9:59 after the bind
        await Client.SendChannelDataAsync(0x4000, [3]);
        Assert.Equal([3], (await Peer.ReceiveAsync()).Data);
        await Peer.SendAsync(Client.RelayedAddress, [4]);
        Assert.Equal(0x4000, (await Client.ReceiveChannelDataAsync()).Channel);

        Turn.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal((1, 0), Turn.Turn.BindingCounts);
        long dropped = Turn.Counters.PacketsDropped;
        await Client.SendChannelDataAsync(0x4000, [5]);
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped > dropped, "ChannelData on the lapsed channel is dropped");
        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));
        await Peer.SendAsync(Client.RelayedAddress, [6]);
        (TransportAddress from, byte[] data) = await Client.ReceiveDataIndicationAsync();
        Assert.Equal(Peer.Address, from);
        Assert.Equal([6], data);
    }

    [Fact]
    public async Task A_channel_whose_permission_lapsed_relays_nothing_until_the_binding_is_refreshed()
    {
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());

        Turn.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal((0, 1), Turn.Turn.BindingCounts);
        long dropped = Turn.Counters.PacketsDropped;
        await Client.SendChannelDataAsync(0x4000, [1]);
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped > dropped, "ChannelData without a permission is dropped");
        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));

        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode()); // refreshes the permission too
        await Client.SendChannelDataAsync(0x4000, [2]);
        Assert.Equal([2], (await Peer.ReceiveAsync()).Data);
    }

    [Fact]
    public async Task The_allocation_expires_after_its_lifetime_and_then_nothing_is_relayed()
    {
        Assert.Equal(0, (await Client.CreatePermissionAsync(Peer.Address)).ErrorCode());
        Assert.Equal(0, (await Client.ChannelBindAsync(0x4000, Peer.Address)).ErrorCode());

        Turn.Advance(TimeSpan.FromSeconds(601));

        Assert.Equal(0, Turn.Turn.AllocationCount);
        Assert.Equal((0, 0), Turn.Turn.BindingCounts);
        long dropped = Turn.Counters.PacketsDropped;
        await Client.SendChannelDataAsync(0x4000, [1]);
        await Client.SendIndicationAsync(Peer.Address, [2]);
        await Eventually.TrueAsync(() => Turn.Counters.PacketsDropped >= dropped + 2, "both are dropped");
        await Peer.SendAsync(Client.RelayedAddress, [3]); // the relay port is closed
        Assert.Null(await Peer.TryReceiveAsync(Eventually.Quiet));
        Assert.Null(await Client.TryReceiveRelayedAsync(Eventually.Quiet));
        Assert.True(RelayPorts.IsUdpPortFree(Client.RelayedAddress.Port));
    }
}
