using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>Allocation quotas per username (486) and for the whole server (508), and their release.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task A_user_over_the_user_quota_gets_486_until_one_of_its_allocations_is_deleted()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.UserQuota = 2);
        using TurnTestClient first = turn.UdpClient("alice");
        using TurnTestClient second = turn.UdpClient("alice");
        using TurnTestClient third = turn.UdpClient("alice");
        using TurnTestClient other = turn.UdpClient("dave");
        await first.AllocateOkAsync();
        await second.AllocateOkAsync();

        StunMessage refused = await third.AllocateAsync();

        Assert.Equal(StunErrorCodes.AllocationQuotaReached, refused.ErrorCode());
        Assert.True(refused.HasMessageIntegrity, "the refusal is signed");
        Assert.Equal(0, (await other.AllocateAsync()).ErrorCode()); // another user is not affected
        Assert.Equal(0, (await first.RefreshAsync(0)).ErrorCode());
        Assert.Equal(0, (await third.AllocateAsync()).ErrorCode());
        Assert.Equal(3, turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task Past_the_total_quota_another_user_gets_508_until_an_allocation_is_deleted()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.TotalQuota = 1);
        using TurnTestClient alice = turn.UdpClient("alice");
        using TurnTestClient bob = turn.UdpClient();
        (bob.Username, bob.Password) = (TurnHarness.StaticUser, TurnHarness.StaticPassword);
        await alice.AllocateOkAsync();

        Assert.Equal(StunErrorCodes.InsufficientCapacity, (await bob.AllocateAsync()).ErrorCode());

        Assert.Equal(0, (await alice.RefreshAsync(0)).ErrorCode());
        Assert.Equal(0, (await bob.AllocateAsync()).ErrorCode());
    }

    [Fact]
    public async Task An_expired_or_closed_allocation_frees_its_quota()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.TotalQuota = 1);
        using TurnTestClient first = turn.UdpClient();
        await first.AllocateOkAsync();
        turn.Advance(TimeSpan.FromSeconds(601));

        TurnTestClient tcp = await turn.TcpClientAsync();
        Assert.Equal(0, (await tcp.AllocateAsync()).ErrorCode());
        tcp.Dispose();
        await Eventually.TrueAsync(() => turn.Turn.AllocationCount == 0, "the TCP allocation is gone");

        using TurnTestClient third = turn.UdpClient();
        Assert.Equal(0, (await third.AllocateAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_refused_allocate_holds_no_quota()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.TotalQuota = 1);
        using TurnTestClient refused = turn.UdpClient();
        Assert.Equal(StunErrorCodes.UnsupportedTransportProtocol, (await refused.RequestAsync(StunMethod.Allocate,
            (ref StunMessageBuilder b) => b.Add(new Parley.Stun.Attributes.RequestedTransport((IpProtocol)99)))).ErrorCode());
        Assert.Equal(StunErrorCodes.BadRequest, (await refused.AllocateAsync((ref StunMessageBuilder b) =>
        {
            b.Add(new Parley.Stun.Attributes.EvenPort(false));
            b.Add(new Parley.Stun.Attributes.ReservationToken(1));
        })).ErrorCode());

        using TurnTestClient client = turn.UdpClient();
        Assert.Equal(0, (await client.AllocateAsync()).ErrorCode());
    }
}
