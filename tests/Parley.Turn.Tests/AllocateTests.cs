using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>The Allocate request (RFC 8656 §7.2): what a success carries, retransmissions, and the refusals.</summary>
public sealed class AllocateTests : IAsyncLifetime
{
    private TurnHarness _turn = null!;

    public async Task InitializeAsync() => _turn = await TurnHarness.StartAsync(o =>
    {
        o.MaxAllocateLifetime = TimeSpan.FromMinutes(30);
        o.RelayIps.Add("127.0.0.1");
        o.RelayIps.Add("::1");
    });

    public async Task DisposeAsync() => await _turn.DisposeAsync();

    [Fact]
    public async Task A_success_carries_a_relayed_address_in_the_range_the_default_lifetime_and_the_mapped_address()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.AllocateAsync();

        Assert.Equal(StunMessageType.AllocateSuccess, response.Type);
        Assert.True(response.TryGet(out XorRelayedAddress relayed));
        Assert.Equal(IPAddress.Loopback, relayed.Address.ToIPAddress());
        Assert.True(_turn.RelayPorts.Contains(relayed.Address.Port), $"port {relayed.Address.Port} is in {_turn.Options.MinPort}-{_turn.Options.MaxPort}");
        Assert.True(response.TryGet(out Lifetime lifetime));
        Assert.Equal(600u, lifetime.Seconds);
        Assert.True(response.TryGet(out XorMappedAddress mapped));
        Assert.Equal(client.LocalEndPoint, mapped.Address.ToIPEndPoint());
        Assert.Equal(1, _turn.Turn.AllocationCount);
        Assert.Equal(1, _turn.Counters.AllocationsCreated);
    }

    [Fact]
    public async Task Without_a_relay_ip_the_relayed_address_is_the_listening_address()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync();
        using TurnTestClient client = turn.UdpClient();

        TransportAddress relayed = await client.AllocateOkAsync();

        Assert.Equal(turn.UdpEndPoint().Address, relayed.ToIPAddress());
        Assert.True(turn.RelayPorts.Contains(relayed.Port));
    }

    [Theory]
    [InlineData(7200u, 1800u)] // more than the maximum: the maximum
    [InlineData(1200u, 1200u)] // between the default and the maximum: as asked
    [InlineData(60u, 600u)] // less than the default: the default (RFC 8656 §7.2)
    public async Task The_lifetime_granted_is_the_asked_one_within_the_default_and_the_maximum(uint asked, uint granted)
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.AllocateAsync((ref StunMessageBuilder b) => b.Add(new Lifetime(asked)));

        Assert.True(response.TryGet(out Lifetime lifetime));
        Assert.Equal(granted, lifetime.Seconds);
    }

    [Fact]
    public async Task With_a_one_port_range_a_second_allocation_gets_508_until_the_first_is_deleted()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.MaxPort = o.MinPort);
        using TurnTestClient first = turn.UdpClient();
        using TurnTestClient second = turn.UdpClient();
        Assert.Equal(turn.Options.MinPort, (await first.AllocateOkAsync()).Port);

        Assert.Equal(StunErrorCodes.InsufficientCapacity, (await second.AllocateAsync()).ErrorCode());

        Assert.Equal(0, (await first.RefreshAsync(0)).ErrorCode());
        Assert.Equal(turn.Options.MinPort, (await second.AllocateOkAsync()).Port);
    }

    [Fact]
    public async Task A_retransmission_gets_a_success_with_the_same_relayed_address()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.ChallengeAsync();
        byte[] request = client.Build(StunMessageType.AllocateRequest, TurnTestClient.RequestUdp);

        StunMessage first = await client.ExchangeAsync(request);
        StunMessage again = await client.ExchangeAsync(request);

        Assert.Equal(0, first.ErrorCode());
        Assert.Equal(0, again.ErrorCode());
        Assert.True(first.TryGet(out XorRelayedAddress a));
        Assert.True(again.TryGet(out XorRelayedAddress b));
        Assert.Equal(a.Address, b.Address);
        Assert.Equal(1, _turn.Turn.AllocationCount);
        client.AssertSignedCorrectly(again);
    }

    [Fact]
    public async Task Another_allocate_on_the_same_five_tuple_gets_437()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        StunMessage second = await client.AllocateAsync();

        Assert.Equal(StunErrorCodes.AllocationMismatch, second.ErrorCode());
        Assert.Equal(1, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task Without_requested_transport_the_answer_is_400()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.RequestAsync(StunMethod.Allocate);

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
        Assert.Equal(0, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task Requested_transport_tcp_over_udp_gets_400()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.RequestAsync(StunMethod.Allocate,
            (ref StunMessageBuilder b) => b.Add(new RequestedTransport(IpProtocol.Tcp)));

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
    }

    [Fact]
    public async Task Requested_transport_tcp_over_tcp_makes_a_tcp_allocation_that_takes_no_channels()
    {
        using TurnTestClient client = await _turn.TcpClientAsync();

        StunMessage response = await client.RequestAsync(StunMethod.Allocate,
            (ref StunMessageBuilder b) => b.Add(new RequestedTransport(IpProtocol.Tcp)));

        Assert.Equal(0, response.ErrorCode());
        Assert.True(response.TryGet(out XorRelayedAddress relayed));
        Assert.True(_turn.RelayPorts.Contains(relayed.Address.Port));
        Assert.Equal(StunErrorCodes.BadRequest, (await client.ChannelBindAsync(0x4000,
            TransportAddress.FromIPEndPoint(IPEndPoint.Parse("203.0.113.5:4000")))).ErrorCode());
    }

    [Fact]
    public async Task Requested_transport_tcp_with_even_port_gets_400()
    {
        using TurnTestClient client = await _turn.TcpClientAsync();

        StunMessage response = await client.RequestAsync(StunMethod.Allocate, (ref StunMessageBuilder b) =>
        {
            b.Add(new RequestedTransport(IpProtocol.Tcp));
            b.Add(new EvenPort(false));
        });

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
    }

    [Fact]
    public async Task An_unknown_transport_protocol_gets_442()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.RequestAsync(StunMethod.Allocate,
            (ref StunMessageBuilder b) => b.Add(new RequestedTransport((IpProtocol)99)));

        Assert.Equal(StunErrorCodes.UnsupportedTransportProtocol, response.ErrorCode());
        Assert.Equal(0, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task Even_port_together_with_a_reservation_token_gets_400()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.AllocateAsync((ref StunMessageBuilder b) =>
        {
            b.Add(new EvenPort(false));
            b.Add(new ReservationToken(0x0123456789abcdef));
        });

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
    }

    [Fact]
    public async Task Even_port_gives_an_even_port()
    {
        using TurnTestClient client = _turn.UdpClient();

        TransportAddress relayed = await client.AllocateOkAsync((ref StunMessageBuilder b) => b.Add(new EvenPort(false)));

        Assert.Equal(0, relayed.Port % 2);
    }

    [Fact]
    public async Task Even_port_with_r_reserves_the_next_port_for_the_allocate_that_brings_the_token()
    {
        using TurnTestClient first = _turn.UdpClient();
        StunMessage response = await first.AllocateAsync((ref StunMessageBuilder b) => b.Add(new EvenPort(true)));
        Assert.Equal(0, response.ErrorCode());
        Assert.True(response.TryGet(out XorRelayedAddress relayed));
        Assert.Equal(0, relayed.Address.Port % 2);
        Assert.True(response.TryGet(out ReservationToken token));

        using TurnTestClient second = _turn.UdpClient("bob");
        TransportAddress next = await second.AllocateOkAsync((ref StunMessageBuilder b) => b.Add(token));

        Assert.Equal(relayed.Address.Port + 1, next.Port);
        Assert.Equal(relayed.Address.ToIPAddress(), next.ToIPAddress());

        // The token is spent.
        using TurnTestClient third = _turn.UdpClient();
        Assert.Equal(StunErrorCodes.InsufficientCapacity,
            (await third.AllocateAsync((ref StunMessageBuilder b) => b.Add(token))).ErrorCode());
    }

    [Fact]
    public async Task A_reservation_nobody_claims_is_released_after_30_seconds()
    {
        using TurnTestClient first = _turn.UdpClient();
        StunMessage response = await first.AllocateAsync((ref StunMessageBuilder b) => b.Add(new EvenPort(true)));
        Assert.True(response.TryGet(out XorRelayedAddress relayed));
        Assert.True(response.TryGet(out ReservationToken token));
        int reserved = relayed.Address.Port + 1;
        Assert.False(RelayPorts.IsUdpPortFree(reserved), "the reserved port is held");

        _turn.Advance(TimeSpan.FromSeconds(31));

        Assert.True(RelayPorts.IsUdpPortFree(reserved), "the reserved port is let go");
        using TurnTestClient late = _turn.UdpClient();
        Assert.Equal(StunErrorCodes.InsufficientCapacity,
            (await late.AllocateAsync((ref StunMessageBuilder b) => b.Add(token))).ErrorCode());
    }

    [Fact]
    public async Task Requested_address_family_ipv6_gives_an_ipv6_relayed_address()
    {
        using TurnTestClient client = _turn.UdpClient();

        TransportAddress relayed = await client.AllocateOkAsync(
            (ref StunMessageBuilder b) => b.Add(new RequestedAddressFamily(StunAddressFamily.IPv6)));

        Assert.Equal(AddressFamily.InterNetworkV6, relayed.Family);
        Assert.Equal(IPAddress.IPv6Loopback, relayed.ToIPAddress());
        Assert.True(_turn.RelayPorts.Contains(relayed.Port));
    }

    [Fact]
    public async Task Additional_address_family_ipv6_gives_a_dual_stack_allocation()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.AllocateAsync(
            (ref StunMessageBuilder b) => b.Add(new AdditionalAddressFamily(StunAddressFamily.IPv6)));

        Assert.Equal(0, response.ErrorCode());
        var families = new List<AddressFamily>();
        foreach (StunAttribute attribute in response.GetAttributes())
        {
            if (attribute.Type == StunAttributeType.XorRelayedAddress)
            {
                Assert.True(XorRelayedAddress.TryRead(attribute.Value, response.TransactionId, out XorRelayedAddress relayed));
                families.Add(relayed.Address.Family);
            }
        }

        Assert.Equal([AddressFamily.InterNetwork, AddressFamily.InterNetworkV6], families);
    }

    [Fact]
    public async Task An_unknown_address_family_gets_440()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.AllocateAsync(
            (ref StunMessageBuilder b) => b.Add(new RequestedAddressFamily((StunAddressFamily)7)));

        Assert.Equal(StunErrorCodes.AddressFamilyNotSupported, response.ErrorCode());
    }

    [Fact]
    public async Task An_unknown_comprehension_required_attribute_gets_420_naming_it()
    {
        using TurnTestClient client = _turn.UdpClient();
        const StunAttributeType Unknown = (StunAttributeType)0x7F31;

        StunMessage response = await client.AllocateAsync((ref StunMessageBuilder b) => b.AddRaw(Unknown, [1, 2, 3, 4]));

        Assert.Equal(StunErrorCodes.UnknownAttribute, response.ErrorCode());
        Assert.True(response.TryGet(out UnknownAttributes unknown));
        Assert.Equal(1, unknown.Count);
        Assert.Equal(Unknown, unknown[0]);
        Assert.Equal(0, _turn.Turn.AllocationCount);
    }

    [Fact]
    public async Task An_unknown_comprehension_optional_attribute_is_ignored()
    {
        using TurnTestClient client = _turn.UdpClient();

        StunMessage response = await client.AllocateAsync((ref StunMessageBuilder b) => b.AddRaw((StunAttributeType)0xC0DE, [1]));

        Assert.Equal(0, response.ErrorCode());
    }
}
