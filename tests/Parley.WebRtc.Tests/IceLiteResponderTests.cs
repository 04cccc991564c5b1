using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.WebRtc.Ice;

namespace Parley.WebRtc.Tests;

/// <summary>Connectivity checks as a browser sends them (RFC 8445 §7.2.2), answered by the ICE-lite responder.</summary>
public sealed class IceLiteResponderTests
{
    private sealed class Endpoint(IceCredentials credentials, string? remoteUfrag) : IIceLiteEndpoint
    {
        public IceCredentials LocalCredentials { get; } = credentials;

        public string? RemoteUfrag { get; } = remoteUfrag;

        public List<(TransportAddress From, bool Nominated)> Checks { get; } = [];

        public void OnValidCheck(TransportAddress from, bool nominated) => Checks.Add((from, nominated));
    }

    private static readonly TransportAddress Browser = TransportAddress.FromIPEndPoint(IPEndPoint.Parse("192.0.2.7:51000"));
    private readonly Endpoint _endpoint = new(new IceCredentials("srvUfrag", "server-password-0123456789"), "brws");
    private readonly IceLiteResponder _responder;

    public IceLiteResponderTests() => _responder = new IceLiteResponder(u => u.SequenceEqual("srvUfrag") ? _endpoint : null);

    private static byte[] Check(string username = "srvUfrag:brws", string? password = "server-password-0123456789",
        bool useCandidate = false, bool priority = true, bool controlled = false, StunMessageType? type = null)
    {
        byte[] buffer = new byte[512];
        var builder = new StunMessageBuilder(buffer, type ?? StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username(username));
        if (priority)
        {
            builder.Add(new Priority(1853824767));
        }

        if (controlled)
        {
            builder.Add(new IceControlled(42));
        }
        else
        {
            builder.Add(new IceControlling(42));
        }

        if (useCandidate)
        {
            builder.Add(default(UseCandidate));
        }

        if (password is not null)
        {
            builder.AddMessageIntegrity(StunCredentials.ShortTermKey(password));
        }

        builder.AddFingerprint();
        return builder.Message.ToArray();
    }

    private (int Length, StunMessage Response) Answer(byte[] request)
    {
        byte[] response = new byte[IceLiteResponder.MaxResponseLength];
        int length = _responder.Handle(request, Browser, response, out _);
        StunMessage.TryParse(response.AsMemory(0, length), out StunMessage message);
        return (length, message);
    }

    [Fact]
    public void A_valid_check_gets_a_success_with_the_mapped_address_signed_with_the_local_password()
    {
        (int length, StunMessage response) = Answer(Check());
        Assert.True(length > 0);
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.True(response.TryGet(out XorMappedAddress mapped));
        Assert.Equal(Browser, mapped.Address);
        Assert.True(response.CheckMessageIntegrity(StunCredentials.ShortTermKey("server-password-0123456789")));
        Assert.True(response.CheckFingerprint());
        Assert.Equal([(Browser, false)], _endpoint.Checks);
    }

    [Fact]
    public void Answering_a_valid_check_allocates_nothing()
    {
        byte[] request = Check(useCandidate: true);
        byte[] response = new byte[IceLiteResponder.MaxResponseLength];
        _responder.Answer(request, Browser, response, out _, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int answered = 0;
        for (int i = 0; i < 100; i++)
        {
            answered += _responder.Answer(request, Browser, response, out IIceLiteEndpoint? endpoint, out bool nominated) > 0
                && endpoint is not null && nominated ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100, answered);
    }

    [Fact]
    public void A_ufrag_longer_than_any_allowed_gets_401()
    {
        (_, StunMessage response) = Answer(Check("srvUfrag:" + new string('b', 300)));
        Assert.True(response.TryGet(out ErrorCode error));
        Assert.Equal(401, error.Code);
        Assert.Empty(_endpoint.Checks);
    }

    [Fact]
    public void Use_candidate_nominates_the_pair()
    {
        Answer(Check(useCandidate: true));
        Assert.Equal([(Browser, true)], _endpoint.Checks);
    }

    [Theory]
    [InlineData("srvUfrag:brws", "wrong-password-000000000")]
    [InlineData("unknown:brws", "server-password-0123456789")]
    [InlineData("srvUfrag:other", "server-password-0123456789")]
    [InlineData("srvUfrag:", "server-password-0123456789")]
    [InlineData("srvUfrag", "server-password-0123456789")]
    public void Wrong_or_unknown_credentials_get_401_and_change_nothing(string username, string password)
    {
        (_, StunMessage response) = Answer(Check(username, password));
        Assert.Equal(StunMessageType.BindingError, response.Type);
        Assert.True(response.TryGet(out ErrorCode error));
        Assert.Equal(401, error.Code);
        Assert.Empty(_endpoint.Checks);
    }

    [Fact]
    public void A_check_without_integrity_or_priority_is_a_bad_request()
    {
        foreach (byte[] request in (byte[][])[Check(password: null), Check(priority: false)])
        {
            (_, StunMessage response) = Answer(request);
            Assert.True(response.TryGet(out ErrorCode error));
            Assert.Equal(400, error.Code);
        }

        Assert.Empty(_endpoint.Checks);
    }

    [Fact]
    public void A_peer_that_is_also_controlled_gets_a_role_conflict()
    {
        (_, StunMessage response) = Answer(Check(controlled: true));
        Assert.True(response.TryGet(out ErrorCode error));
        Assert.Equal(487, error.Code);
        Assert.True(response.CheckMessageIntegrity(StunCredentials.ShortTermKey("server-password-0123456789")));
    }

    [Fact]
    public void Responses_indications_and_garbage_are_not_answered()
    {
        Assert.Equal(0, Answer(Check(type: StunMessageType.BindingSuccess)).Length);
        Assert.Equal(0, Answer([0, 1, 2]).Length);
        byte[] corrupted = Check();
        corrupted[^1] ^= 0xFF; // FINGERPRINT no longer matches
        Assert.Equal(0, Answer(corrupted).Length);
        Assert.Empty(_endpoint.Checks);
    }

    [Fact]
    public void Random_and_mutated_datagrams_never_throw_and_never_pass_as_valid_checks()
    {
        var random = new Random(5);
        byte[] valid = Check();
        byte[] response = new byte[IceLiteResponder.MaxResponseLength];
        for (int i = 0; i < 20_000; i++)
        {
            byte[] datagram = (byte[])valid.Clone();
            if (i % 2 == 0)
            {
                datagram = new byte[random.Next(0, 200)];
                random.NextBytes(datagram);
            }
            else
            {
                datagram[random.Next(datagram.Length)] ^= (byte)(1 + random.Next(255));
            }

            _responder.Handle(datagram, Browser, response, out IIceLiteEndpoint? endpoint);
            Assert.Null(endpoint); // any change breaks FINGERPRINT or MESSAGE-INTEGRITY (or the header)
        }

        Assert.Empty(_endpoint.Checks);
    }
}
