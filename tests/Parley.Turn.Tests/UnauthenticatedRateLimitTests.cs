using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>Answers to requests without valid credentials are capped per client address and second, so the server
/// cannot be used to send many challenges.</summary>
public sealed class UnauthenticatedRateLimitTests
{
    [Fact]
    public async Task Of_twenty_unauthenticated_allocates_at_once_only_five_are_answered_within_the_second()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.UnauthenticatedRequestsPerSecond = 5);
        using TurnTestClient client = turn.UdpClient();

        for (int i = 0; i < 20; i++)
        {
            await client.SendAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp, authenticate: false));
        }

        await Eventually.TrueAsync(() => turn.Counters.AuthFailures == 20, "all 20 are handled");
        int answered = 0;
        while (await client.TryReceiveRawAsync(TimeSpan.FromMilliseconds(300)) is { } answer)
        {
            Assert.True(StunMessage.TryParse(answer, out StunMessage parsed));
            Assert.Equal(StunErrorCodes.Unauthenticated, parsed.ErrorCode());
            answered++;
        }

        Assert.Equal(5, answered);

        // The next second has room again.
        turn.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(StunErrorCodes.Unauthenticated, (await client.ChallengeAsync()).ErrorCode());
    }

    [Fact]
    public async Task Requests_with_valid_credentials_are_not_limited()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.UnauthenticatedRequestsPerSecond = 1);
        using TurnTestClient client = turn.UdpClient();
        await client.AllocateOkAsync(); // one 401, then authenticated

        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(0, (await client.RefreshAsync()).ErrorCode());
        }
    }
}
