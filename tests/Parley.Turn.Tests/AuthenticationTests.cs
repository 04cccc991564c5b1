using System.Net;
using System.Text;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>Long-term credentials (RFC 8489 §9.2) on TURN requests: challenges, REST API and static users, nonces,
/// the SHA-256 password algorithm.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private TurnHarness _turn = null!;

    public async Task InitializeAsync() => _turn = await TurnHarness.StartAsync();

    public async Task DisposeAsync() => await _turn.DisposeAsync();

    [Fact]
    public async Task A_request_without_credentials_gets_a_small_401_with_realm_nonce_and_password_algorithms()
    {
        using TurnTestClient client = _turn.UdpClient();
        byte[] request = client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp, authenticate: false);

        StunMessage response = await client.ExchangeAsync(request);

        Assert.Equal(StunMessageType.AllocateError, response.Type);
        Assert.Equal(StunErrorCodes.Unauthenticated, response.ErrorCode());
        Assert.True(response.TryGet(out Realm realm));
        Assert.Equal(TurnHarness.Realm, realm.ToString());
        Assert.True(response.TryGet(out Nonce nonce));
        Assert.StartsWith("obMatJos2", nonce.ToString(), StringComparison.Ordinal);
        Assert.True(response.TryGet(out PasswordAlgorithms algorithms));
        Assert.True(algorithms.Contains(StunPasswordAlgorithm.Md5));
        Assert.True(algorithms.Contains(StunPasswordAlgorithm.Sha256));
        Assert.False(response.Contains(StunAttributeType.Software), "an unauthenticated answer names no software");
        Assert.False(response.HasMessageIntegrity);
        Assert.True(response.Raw.Length <= request.Length + 120,
            $"the answer ({response.Raw.Length} bytes) is at most 120 bytes larger than the request ({request.Length})");
    }

    [Fact]
    public async Task Rest_api_credentials_minted_with_the_shared_secret_allocate()
    {
        using TurnTestClient client = _turn.UdpClient("alice");

        StunMessage response = await client.AllocateAsync();

        Assert.Equal(StunMessageType.AllocateSuccess, response.Type);
        Assert.True(response.HasMessageIntegrity);
        Assert.True(response.CheckMessageIntegrity(
            StunCredentials.LongTermKey(client.Username, TurnHarness.Realm, client.Password)));
        Assert.Equal(1, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task A_wrong_password_gets_401_and_no_allocation()
    {
        using TurnTestClient client = _turn.UdpClient("alice");
        client.Password = "not-the-password";
        await client.ChallengeAsync();

        StunMessage response = await client.ExchangeAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));

        Assert.Equal(StunErrorCodes.Unauthenticated, response.ErrorCode());
        Assert.False(response.HasMessageIntegrity);
        Assert.Equal(0, _turn.Turn.AllocationCount);
        Assert.True(_turn.Counters.AuthFailures >= 2);
    }

    [Fact]
    public async Task An_expired_rest_username_gets_401_even_with_the_right_password()
    {
        using TurnTestClient client = _turn.UdpClient();
        (client.Username, client.Password) = _turn.RestCredentials("alice", TimeSpan.FromSeconds(-1));
        await client.ChallengeAsync();

        StunMessage response = await client.ExchangeAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));

        Assert.Equal(StunErrorCodes.Unauthenticated, response.ErrorCode());
        Assert.Equal(0, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task A_rest_username_that_expires_later_stops_working_once_the_clock_passes_it()
    {
        using TurnTestClient client = _turn.UdpClient();
        (client.Username, client.Password) = _turn.RestCredentials("alice", TimeSpan.FromMinutes(1));
        await client.ChallengeAsync();
        byte[] request = client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp);

        _turn.Advance(TimeSpan.FromMinutes(2));
        StunMessage response = await client.ExchangeAsync(request);

        Assert.Equal(StunErrorCodes.Unauthenticated, response.ErrorCode());
    }

    [Fact]
    public async Task A_static_user_from_the_users_list_allocates_and_a_wrong_password_for_it_does_not()
    {
        using TurnTestClient good = _turn.UdpClient();
        (good.Username, good.Password) = (TurnHarness.StaticUser, TurnHarness.StaticPassword);
        using TurnTestClient bad = _turn.UdpClient();
        (bad.Username, bad.Password) = (TurnHarness.StaticUser, TurnHarness.OtherStaticPassword);

        Assert.Equal(0, (await good.AllocateAsync()).ErrorCode());
        Assert.Equal(StunErrorCodes.Unauthenticated, (await bad.AllocateAsync()).ErrorCode());
    }

    [Fact]
    public async Task An_unknown_user_gets_401()
    {
        using TurnTestClient client = _turn.UdpClient();
        (client.Username, client.Password) = ("mallory", "whatever");

        Assert.Equal(StunErrorCodes.Unauthenticated, (await client.AllocateAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_nonce_past_its_lifetime_gets_438_with_a_fresh_nonce_that_then_works()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.ChallengeAsync();
        byte[] oldNonce = client.Nonce!;

        _turn.Advance(_turn.Options.NonceLifetime + TimeSpan.FromSeconds(2));
        StunMessage stale = await client.ExchangeAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));

        Assert.Equal(StunErrorCodes.StaleNonce, stale.ErrorCode());
        Assert.True(stale.TryGet(out Realm realm));
        Assert.Equal(TurnHarness.Realm, realm.ToString());
        Assert.True(stale.TryGet(out Nonce fresh));
        Assert.StartsWith("obMatJos2", fresh.ToString(), StringComparison.Ordinal);
        Assert.False(fresh.Utf8.Span.SequenceEqual(oldNonce), "the 438 carries a new nonce");

        client.Learn(stale);
        StunMessage retried = await client.ExchangeAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));
        Assert.Equal(0, retried.ErrorCode());
    }

    [Fact]
    public async Task A_nonce_still_within_its_lifetime_is_accepted()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.ChallengeAsync();

        _turn.Advance(_turn.Options.NonceLifetime - TimeSpan.FromSeconds(5));
        StunMessage response = await client.ExchangeAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));

        Assert.Equal(0, response.ErrorCode());
    }

    [Fact]
    public async Task A_nonce_issued_to_another_client_address_gets_438()
    {
        using TurnTestClient first = _turn.UdpClient("alice", IPAddress.Loopback);
        await first.ChallengeAsync();
        using TurnTestClient second = _turn.UdpClient("alice", IPAddress.Parse("127.0.0.2"));
        await second.ChallengeAsync(); // learns the realm
        second.Nonce = first.Nonce;

        StunMessage response = await second.ExchangeAsync(second.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));

        Assert.Equal(StunErrorCodes.StaleNonce, response.ErrorCode());
        Assert.True(response.TryGet(out Nonce fresh));
        Assert.False(fresh.Utf8.Span.SequenceEqual(first.Nonce), "the 438 carries a nonce for the second address");
    }

    [Fact]
    public async Task A_made_up_nonce_gets_438()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.ChallengeAsync();
        client.Nonce = Encoding.ASCII.GetBytes("obMatJos2gAAA" + new string('0', 24));

        StunMessage response = await client.ExchangeAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));

        Assert.Equal(StunErrorCodes.StaleNonce, response.ErrorCode());
    }

    [Fact]
    public async Task The_sha256_password_algorithm_allocates_and_the_answer_is_signed_with_message_integrity_sha256()
    {
        using TurnTestClient client = _turn.UdpClient();
        client.UseSha256 = true;

        StunMessage response = await client.AllocateAsync();

        Assert.Equal(0, response.ErrorCode());
        Assert.True(response.HasMessageIntegritySha256);
        Assert.False(response.HasMessageIntegrity);
        byte[] key = StunCredentials.LongTermKey(client.Username, TurnHarness.Realm, client.Password, StunPasswordAlgorithm.Sha256);
        Assert.True(response.CheckMessageIntegritySha256(key));

        // Later requests of the allocation keep the algorithm.
        StunMessage refreshed = await client.RefreshAsync();
        Assert.Equal(0, refreshed.ErrorCode());
        Assert.True(refreshed.CheckMessageIntegritySha256(key));
    }

    [Fact]
    public async Task A_sha256_key_under_message_integrity_without_choosing_sha256_is_refused()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.ChallengeAsync();
        byte[] sha256Key = StunCredentials.LongTermKey(client.Username, TurnHarness.Realm, client.Password, StunPasswordAlgorithm.Sha256);
        var builder = new StunMessageBuilder(new byte[512], StunMessageType.AllocateRequest, TransactionId.NewRandom());
        TurnTestClient.RequestUdp(ref builder);
        builder.Add(new Username(client.Username));
        builder.Add(new Realm(TurnHarness.Realm));
        builder.Add(new Nonce(client.Nonce!));
        builder.AddMessageIntegritySha256(sha256Key);
        builder.AddFingerprint();

        StunMessage response = await client.ExchangeAsync(builder.Message.ToArray());

        Assert.Equal(StunErrorCodes.Unauthenticated, response.ErrorCode());
    }

    [Theory]
    [InlineData(new[] { StunPasswordAlgorithm.Sha256 })]
    [InlineData(new[] { StunPasswordAlgorithm.Sha256, StunPasswordAlgorithm.Md5 })]
    [InlineData(new[] { StunPasswordAlgorithm.Md5 })]
    public async Task A_password_algorithms_list_that_is_not_the_one_offered_gets_400(StunPasswordAlgorithm[] echoed)
    {
        using TurnTestClient client = _turn.UdpClient();
        client.UseSha256 = true;
        client.EchoedAlgorithms = new PasswordAlgorithms(echoed).Raw.ToArray();
        await client.ChallengeAsync();

        StunMessage response = await client.ExchangeAsync(client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp));

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
        Assert.Equal(0, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task Message_integrity_without_a_nonce_gets_400()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.ChallengeAsync();
        var builder = new StunMessageBuilder(new byte[512], StunMessageType.AllocateRequest, TransactionId.NewRandom());
        TurnTestClient.RequestUdp(ref builder);
        builder.Add(new Username(client.Username));
        builder.Add(new Realm(TurnHarness.Realm));
        builder.AddMessageIntegrity(client.Key);
        builder.AddFingerprint();

        StunMessage response = await client.ExchangeAsync(builder.Message.ToArray());

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
    }

    [Fact]
    public async Task Every_success_answer_of_an_allocation_verifies_with_the_clients_key()
    {
        using TurnTestClient client = _turn.UdpClient();
        var peer = TransportAddress.FromIPEndPoint(IPEndPoint.Parse("203.0.113.5:4000"));

        // RequestAsync checks every signed answer against the key; here the answers are also checked by hand.
        byte[] key = StunCredentials.LongTermKey(client.Username, TurnHarness.Realm, client.Password);
        foreach (StunMessage response in new[]
        {
            await client.AllocateAsync(),
            await client.CreatePermissionAsync(peer),
            await client.ChannelBindAsync(0x4000, peer),
            await client.RefreshAsync(),
        })
        {
            Assert.Equal(StunClass.SuccessResponse, response.Class);
            Assert.True(response.CheckMessageIntegrity(key), $"{response} verifies");
            Assert.True(response.Contains(StunAttributeType.Software), "authenticated answers name the software");
        }
    }

    [Fact]
    public async Task A_rest_username_whose_expiry_is_past_year_9999_is_refused_with_401_not_an_exception()
    {
        using TurnTestClient client = _turn.UdpClient();
        client.Username = "999999999999:alice";
        client.Password = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            Encoding.UTF8.GetBytes(TurnHarness.Secret), Encoding.UTF8.GetBytes(client.Username)));
        await client.ChallengeAsync();

        StunMessage? response = await client.TryExchangeAsync(
            client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp), TimeSpan.FromSeconds(2));

        Assert.True(response.HasValue, "the request is answered");
        Assert.Equal(StunErrorCodes.Unauthenticated, response.Value.ErrorCode());
        Assert.True(_turn.Log.Warnings == 0, _turn.Log.Report);
    }

    [Theory]
    [InlineData("4102444800:ali\u0001ce")] // a control character: SASLprep prohibits it
    [InlineData("4102444800:\uE000")] // private use
    public async Task A_rest_username_that_saslprep_refuses_gets_401_not_an_exception(string username)
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.ChallengeAsync();
        var builder = new StunMessageBuilder(new byte[512], StunMessageType.AllocateRequest, TransactionId.NewRandom());
        TurnTestClient.RequestUdp(ref builder);
        builder.Add(new Username(username));
        builder.Add(new Realm(TurnHarness.Realm));
        builder.Add(new Nonce(client.Nonce!));
        builder.AddMessageIntegrity(new byte[16]);
        builder.AddFingerprint();

        StunMessage? response = await client.TryExchangeAsync(builder.Message.ToArray(), TimeSpan.FromSeconds(2));

        Assert.True(response.HasValue, "the request is answered");
        Assert.Equal(StunErrorCodes.Unauthenticated, response.Value.ErrorCode());
        Assert.True(_turn.Log.Warnings == 0, _turn.Log.Report);
    }
}
