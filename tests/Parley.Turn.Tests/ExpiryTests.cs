using System.Net;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>Lifetimes on the fake clock: permissions last 5 minutes (RFC 8656 §9), channel bindings 10 (§11), an
/// allocation its LIFETIME (§7); once gone, nothing is relayed.</summary>
public sealed class ExpiryTests : IAsyncLifetime
{
    private TurnHarness _turn = null!;
    private TurnTestClient _client = null!;
    private UdpPeer _peer = null!;

    public async Task InitializeAsync()
    {
        _turn = await TurnHarness.StartAsync(o => o.AllowedPeerRanges.Add("127.0.0.0/8"));
        _client = _turn.UdpClient();
        await _client.AllocateOkAsync();
        _peer = new UdpPeer(IPAddress.Loopback);
    }

    public async Task DisposeAsync()
    {
        _peer.Dispose();
        _client.Dispose();
        await _turn.DisposeAsync();
    }

    private async Task AssertRelayedBothWaysAsync(byte marker)
    {
        await _client.SendIndicationAsync(_peer.Address, [marker]);
        Assert.Equal([marker], (await _peer.ReceiveAsync()).Data);
        await _peer.SendAsync(_client.RelayedAddress, [marker]);
        Assert.Equal([marker], (await _client.ReceiveDataIndicationAsync()).Data);
    }

    private async Task AssertNothingRelayedAsync()
    {
        long dropped = _turn.Counters.PacketsDropped;
        await _client.SendIndicationAsync(_peer.Address, [0xEE]);
        await _peer.SendAsync(_client.RelayedAddress, [0xEF]);
        await Eventually.TrueAsync(() => _turn.Counters.PacketsDropped >= dropped + 2, "both datagrams are dropped");
        Assert.Null(await _peer.TryReceiveAsync(Eventually.Quiet));
        Assert.Null(await _client.TryReceiveRelayedAsync(Eventually.Quiet));
    }

    [Fact]
    public async Task A_permission_lasts_five_minutes_and_then_nothing_is_relayed()
    {
        Assert.Equal(0, (await _client.CreatePermissionAsync(_peer.Address)).ErrorCode());

        _turn.Advance(TimeSpan.FromSeconds(299));
        await AssertRelayedBothWaysAsync(1);

        _turn.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, _turn.Turn.BindingCounts.Permissions);
        await AssertNothingRelayedAsync();
    }

    [Fact]
    public async Task Creating_the_permission_again_keeps_it_past_five_minutes()
    {
        Assert.Equal(0, (await _client.CreatePermissionAsync(_peer.Address)).ErrorCode());

        _turn.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, (await _client.CreatePermissionAsync(_peer.Address)).ErrorCode());
        _turn.Advance(TimeSpan.FromMinutes(4)); // 8 minutes after the first

        await AssertRelayedBothWaysAsync(2);
    }

    [Fact]
    public async Task A_channel_lasts_ten_minutes_after_which_channel_data_is_dropped_and_the_peer_comes_as_data_indications()
    {
        Assert.Equal(0, (await _client.ChannelBindAsync(0x4000, _peer.Address)).ErrorCode());

        // The permission (5 min) and the allocation (10 min) are kept alive; only the channel is left to lapse.
        _turn.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, (await _client.CreatePermissionAsync(_peer.Address)).ErrorCode());
        _turn.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, (await _client.CreatePermissionAsync(_peer.Address)).ErrorCode());
        Assert.Equal(0, (await _client.RefreshAsync()).ErrorCode());
        _turn.Advance(TimeSpan.FromSeconds(119)); // 9:59 after the bind
        await _client.SendChannelDataAsync(0x4000, [3]);
        Assert.Equal([3], (await _peer.ReceiveAsync()).Data);
        await _peer.SendAsync(_client.RelayedAddress, [4]);
        Assert.Equal(0x4000, (await _client.ReceiveChannelDataAsync()).Channel);

        _turn.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal((1, 0), _turn.Turn.BindingCounts);
        long dropped = _turn.Counters.PacketsDropped;
        await _client.SendChannelDataAsync(0x4000, [5]);
        await Eventually.TrueAsync(() => _turn.Counters.PacketsDropped > dropped, "ChannelData on the lapsed channel is dropped");
        Assert.Null(await _peer.TryReceiveAsync(Eventually.Quiet));
        await _peer.SendAsync(_client.RelayedAddress, [6]);
        (TransportAddress from, byte[] data) = await _client.ReceiveDataIndicationAsync();
        Assert.Equal(_peer.Address, from);
        Assert.Equal([6], data);
    }

    [Fact]
    public async Task A_channel_whose_permission_lapsed_relays_nothing_until_the_binding_is_refreshed()
    {
        Assert.Equal(0, (await _client.ChannelBindAsync(0x4000, _peer.Address)).ErrorCode());

        _turn.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal((0, 1), _turn.Turn.BindingCounts);
        long dropped = _turn.Counters.PacketsDropped;
        await _client.SendChannelDataAsync(0x4000, [1]);
        await Eventually.TrueAsync(() => _turn.Counters.PacketsDropped > dropped, "ChannelData without a permission is dropped");
        Assert.Null(await _peer.TryReceiveAsync(Eventually.Quiet));

        Assert.Equal(0, (await _client.ChannelBindAsync(0x4000, _peer.Address)).ErrorCode()); // refreshes the permission too
        await _client.SendChannelDataAsync(0x4000, [2]);
        Assert.Equal([2], (await _peer.ReceiveAsync()).Data);
    }

    [Fact]
    public async Task The_allocation_expires_after_its_lifetime_and_then_nothing_is_relayed()
    {
        Assert.Equal(0, (await _client.CreatePermissionAsync(_peer.Address)).ErrorCode());
        Assert.Equal(0, (await _client.ChannelBindAsync(0x4000, _peer.Address)).ErrorCode());

        _turn.Advance(TimeSpan.FromSeconds(601));

        Assert.Equal(0, _turn.Turn.AllocationCount);
        Assert.Equal((0, 0), _turn.Turn.BindingCounts);
        long dropped = _turn.Counters.PacketsDropped;
        await _client.SendChannelDataAsync(0x4000, [1]);
        await _client.SendIndicationAsync(_peer.Address, [2]);
        await Eventually.TrueAsync(() => _turn.Counters.PacketsDropped >= dropped + 2, "both are dropped");
        await _peer.SendAsync(_client.RelayedAddress, [3]); // the relay port is closed
        Assert.Null(await _peer.TryReceiveAsync(Eventually.Quiet));
        Assert.Null(await _client.TryReceiveRelayedAsync(Eventually.Quiet));
        Assert.True(AllocateTests.IsUdpPortFree(_client.RelayedAddress.Port));
    }
}
