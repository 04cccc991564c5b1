using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>The Refresh request (RFC 8656 §7.3): deleting, extending, and who may do it.</summary>
public sealed class RefreshTests : IAsyncLifetime
{
    private TurnHarness _turn = null!;

    public async Task InitializeAsync() => _turn = await TurnHarness.StartAsync();

    public async Task DisposeAsync() => await _turn.DisposeAsync();

    [Fact]
    public async Task Lifetime_zero_deletes_the_allocation_and_closes_its_relay_port()
    {
        using TurnTestClient client = _turn.UdpClient();
        TransportAddress relayed = await client.AllocateOkAsync();
        Assert.False(RelayPorts.IsUdpPortFree(relayed.Port), "the relay port is bound while the allocation lives");

        StunMessage response = await client.RefreshAsync(0);

        Assert.Equal(StunMessageType.RefreshSuccess, response.Type);
        Assert.True(response.TryGet(out Lifetime lifetime));
        Assert.Equal(0u, lifetime.Seconds);
        Assert.Equal(0, _turn.Turn.AllocationCount);
        Assert.Equal(1, _turn.Counters.AllocationsDeleted);
        Assert.True(RelayPorts.IsUdpPortFree(relayed.Port), "the relay port is closed");

        // The 5-tuple is free again for a new allocation.
        Assert.Equal(0, (await client.AllocateAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_refresh_without_an_allocation_gets_437()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.RefreshAsync();

        Assert.Equal(StunErrorCodes.AllocationMismatch, response.ErrorCode());
    }

    [Fact]
    public async Task A_refresh_with_another_users_credentials_gets_441_and_leaves_the_allocation()
    {
        using TurnTestClient client = _turn.UdpClient("alice");
        await client.AllocateOkAsync();

        (client.Username, client.Password) = (TurnHarness.StaticUser, TurnHarness.StaticPassword);
        StunMessage response = await client.RefreshAsync(0);

        Assert.Equal(StunErrorCodes.WrongCredentials, response.ErrorCode());
        Assert.Equal(1, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task A_refresh_extends_the_allocation_past_its_original_expiry()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        _turn.Advance(TimeSpan.FromSeconds(500));
        StunMessage response = await client.RefreshAsync();
        Assert.Equal(0, response.ErrorCode());
        Assert.True(response.TryGet(out Lifetime lifetime));
        Assert.Equal(600u, lifetime.Seconds);

        _turn.Advance(TimeSpan.FromSeconds(200)); // 700 s after the Allocate: past its first expiry
        Assert.Equal(1, _turn.Turn.AllocationCount);
        Assert.Equal(0, (await client.RefreshAsync()).ErrorCode()); // (the nonce went stale meanwhile: 438, then again)

        _turn.Advance(TimeSpan.FromSeconds(601));
        Assert.Equal(0, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task Without_a_refresh_the_allocation_expires_after_its_lifetime()
    {
        using TurnTestClient client = _turn.UdpClient();
        TransportAddress relayed = await client.AllocateOkAsync();

        _turn.Advance(TimeSpan.FromSeconds(599));
        Assert.Equal(1, _turn.Turn.AllocationCount);

        _turn.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, _turn.Turn.AllocationCount);
        Assert.True(RelayPorts.IsUdpPortFree(relayed.Port), "the relay port is closed");
        Assert.Equal(StunErrorCodes.AllocationMismatch, (await client.RefreshAsync()).ErrorCode());
    }

    [Fact]
    public async Task Lifetime_zero_over_tcp_is_answered_and_then_the_connection_closes()
    {
        using TurnTestClient client = await _turn.TcpClientAsync();
        await client.AllocateOkAsync();

        StunMessage response = await client.RefreshAsync(0);

        Assert.Equal(StunMessageType.RefreshSuccess, response.Type);
        Assert.Equal(0, _turn.Turn.AllocationCount);
        Assert.Null(await client.TryReceiveRawAsync(TimeSpan.FromSeconds(5)));
        Assert.True(client.RemoteClosed, "the server closes the connection with the allocation");
    }
}
