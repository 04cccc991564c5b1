using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>A TURN client over TCP (RFC 8656 §3.1): STUN and ChannelData frames on one stream, ChannelData padded to a
/// multiple of 4 (§12.5) both ways, and the allocation tied to the connection.</summary>
public sealed class TcpClientTransportTests : IAsyncLifetime
{
    private TurnHarness _turn = null!;
    private UdpPeer _peer = null!;

    public async Task InitializeAsync()
    {
        _turn = await TurnHarness.StartAsync(o => o.AllowedPeerRanges.Add("127.0.0.0/8"));
        _peer = new UdpPeer(IPAddress.Loopback);
    }

    public async Task DisposeAsync()
    {
        _peer.Dispose();
        await _turn.DisposeAsync();
    }

    [Fact]
    public async Task Allocate_channel_bind_and_padded_channel_data_work_both_ways_over_tcp()
    {
        using TurnTestClient client = await _turn.TcpClientAsync();
        StunMessage allocated = await client.AllocateAsync();
        Assert.Equal(0, allocated.ErrorCode());
        Assert.True(allocated.TryGet(out XorMappedAddress mapped));
        Assert.Equal(client.LocalEndPoint, mapped.Address.ToIPEndPoint());
        Assert.Equal(0, (await client.ChannelBindAsync(0x4000, _peer.Address)).ErrorCode());

        foreach (int length in new[] { 1, 2, 3, 4, 170, 1201 })
        {
            byte[] outbound = new byte[length];
            Random.Shared.NextBytes(outbound);
            byte[] frame = client.BuildChannelData(0x4000, outbound);
            Assert.Equal(0, frame.Length % 4);

            await client.SendAsync(frame);
            (TransportAddress from, byte[] received) = await _peer.ReceiveAsync();
            Assert.Equal(outbound, received);
            Assert.Equal(client.RelayedAddress, from);

            await _peer.SendAsync(client.RelayedAddress, outbound);
            (ushort channel, byte[] data, int frameLength) = await client.ReceiveChannelDataAsync();
            Assert.Equal(0x4000, channel);
            Assert.Equal(outbound, data);
            Assert.Equal(4 + ((length + 3) & ~3), frameLength);
        }

        // The stream is still in step: a request after the padded frames is answered.
        Assert.Equal(0, (await client.RefreshAsync()).ErrorCode());
    }

    [Fact]
    public async Task Send_and_data_indications_work_over_tcp()
    {
        using TurnTestClient client = await _turn.TcpClientAsync();
        await client.AllocateOkAsync();
        Assert.Equal(0, (await client.CreatePermissionAsync(_peer.Address)).ErrorCode());

        await client.SendIndicationAsync(_peer.Address, [1, 2, 3, 4, 5]);
        Assert.Equal([1, 2, 3, 4, 5], (await _peer.ReceiveAsync()).Data);

        await _peer.SendAsync(client.RelayedAddress, [6, 7, 8]);
        (TransportAddress from, byte[] data) = await client.ReceiveDataIndicationAsync();
        Assert.Equal(_peer.Address, from);
        Assert.Equal([6, 7, 8], data);
    }

    [Fact]
    public async Task Frames_split_across_writes_and_joined_in_one_write_are_all_handled()
    {
        using TurnTestClient client = await _turn.TcpClientAsync();
        await client.AllocateOkAsync();
        Assert.Equal(0, (await client.ChannelBindAsync(0x4000, _peer.Address)).ErrorCode());
        byte[] one = client.BuildChannelData(0x4000, [1, 1, 1, 1, 1]);
        byte[] two = client.BuildChannelData(0x4000, [2]);
        byte[] three = client.BuildChannelData(0x4000, [3, 3, 3]);

        await client.SendAsync((byte[])[.. one, .. two, .. three.AsSpan(0, 3)]);
        await Task.Delay(50);
        await client.SendAsync(three.AsMemory(3));

        Assert.Equal([1, 1, 1, 1, 1], (await _peer.ReceiveAsync()).Data);
        Assert.Equal([2], (await _peer.ReceiveAsync()).Data);
        Assert.Equal([3, 3, 3], (await _peer.ReceiveAsync()).Data);
    }

    [Fact]
    public async Task Closing_the_connection_deletes_the_allocation_and_its_relay_port()
    {
        TurnTestClient client = await _turn.TcpClientAsync();
        TransportAddress relayed = await client.AllocateOkAsync();
        Assert.Equal(1, _turn.Turn.AllocationCount);

        client.Dispose();

        await Eventually.TrueAsync(() => _turn.Turn.AllocationCount == 0, "the allocation is gone");
        Assert.Equal(1, _turn.Counters.AllocationsDeleted);
        Assert.True(RelayPorts.IsUdpPortFree(relayed.Port), "the relay port is closed");
    }

    [Fact]
    public async Task Two_tcp_connections_from_one_address_hold_an_allocation_each()
    {
        using TurnTestClient first = await _turn.TcpClientAsync();
        using TurnTestClient second = await _turn.TcpClientAsync();

        TransportAddress a = await first.AllocateOkAsync();
        TransportAddress b = await second.AllocateOkAsync();

        Assert.NotEqual(a, b);
        Assert.Equal(2, _turn.Turn.AllocationCount);
        Assert.Equal(StunErrorCodes.AllocationMismatch, (await first.AllocateAsync()).ErrorCode());
    }

    [Fact]
    public async Task An_allocation_over_tcp_outlives_the_idle_timeout_of_connections_without_one()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(configureStun: s => s.TcpIdleTimeout = TimeSpan.FromSeconds(1));
        using TurnTestClient idle = await turn.TcpClientAsync();
        using TurnTestClient client = await turn.TcpClientAsync();
        await client.AllocateOkAsync();

        // The STUN listener closes idle connections after its timeout unless the extension holds state for them.
        Assert.Null(await idle.TryReceiveRawAsync(TimeSpan.FromSeconds(5)));
        Assert.True(idle.RemoteClosed, "the connection without an allocation is closed when idle");
        await Task.Delay(TimeSpan.FromMilliseconds(1500));

        Assert.Null(await client.TryReceiveRawAsync(TimeSpan.FromMilliseconds(10)));
        Assert.False(client.RemoteClosed);
        Assert.Equal(0, (await client.RefreshAsync()).ErrorCode());
        Assert.Equal(1, turn.Turn.AllocationCount);
    }
}
