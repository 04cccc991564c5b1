using System.Net;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>CreatePermission (RFC 8656 §9) and the refusal of peers a relay must not reach (loopback, private,
/// link-local, multicast, the server's own addresses), with and without an allow-list.</summary>
public sealed class PermissionTests : IAsyncLifetime
{
    private TurnHarness _turn = null!;

    public async Task InitializeAsync() => _turn = await TurnHarness.StartAsync(o =>
    {
        o.RelayIps.Add("127.0.0.1");
        o.RelayIps.Add("::1");
    });

    public async Task DisposeAsync() => await _turn.DisposeAsync();

    private static TransportAddress Peer(string ip, ushort port = 5000) => TransportAddress.FromIPAddress(IPAddress.Parse(ip), port);

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("127.0.0.1")] // also the server's own listening address
    [InlineData("127.8.9.10")]
    [InlineData("0.0.0.0")]
    [InlineData("169.254.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("224.0.0.1")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    public async Task A_permission_for_a_special_ipv4_address_gets_403_without_an_allow_list(string ip)
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        StunMessage response = await client.CreatePermissionAsync(Peer(ip));

        Assert.Equal(StunMessageType.CreatePermissionError, response.Type);
        Assert.Equal(StunErrorCodes.Forbidden, response.ErrorCode());
        Assert.Equal(0, _turn.Turn.BindingCounts.Permissions);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 of 169.254.169.254, the cloud metadata address
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::2")]
    [InlineData("ff02::1")]
    public async Task A_permission_for_a_special_ipv6_address_or_one_carrying_a_special_ipv4_address_gets_403(string ip)
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync((ref StunMessageBuilder b) => b.Add(new RequestedAddressFamily(StunAddressFamily.IPv6)));

        StunMessage response = await client.CreatePermissionAsync(Peer(ip));

        Assert.Equal(StunErrorCodes.Forbidden, response.ErrorCode());
    }

    [Theory]
    [InlineData("203.0.113.5")] // TEST-NET-3 is not on the refused list
    [InlineData("8.8.8.8")]
    [InlineData("100.128.0.1")] // just past CGNAT
    [InlineData("172.32.0.1")] // just past 172.16.0.0/12
    public async Task A_permission_for_a_public_ipv4_address_is_installed(string ip)
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        StunMessage response = await client.CreatePermissionAsync(Peer(ip));

        Assert.Equal(StunMessageType.CreatePermissionSuccess, response.Type);
        Assert.Equal(1, _turn.Turn.BindingCounts.Permissions);
        Assert.Equal(1, _turn.Counters.PermissionsCreated);
    }

    [Fact]
    public async Task A_permission_for_a_public_ipv6_address_on_an_ipv6_allocation_is_installed()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync((ref StunMessageBuilder b) => b.Add(new RequestedAddressFamily(StunAddressFamily.IPv6)));

        Assert.Equal(0, (await client.CreatePermissionAsync(Peer("2606:4700::1111"))).ErrorCode());
    }

    [Fact]
    public async Task An_ipv4_mapped_address_on_an_ipv4_allocation_is_refused_as_of_the_other_family()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        Assert.Equal(StunErrorCodes.PeerAddressFamilyMismatch, (await client.CreatePermissionAsync(Peer("::ffff:127.0.0.1"))).ErrorCode());
    }

    [Fact]
    public async Task An_ipv6_peer_on_an_ipv4_allocation_gets_443()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        Assert.Equal(StunErrorCodes.PeerAddressFamilyMismatch, (await client.CreatePermissionAsync(Peer("2606:4700::1111"))).ErrorCode());
        Assert.Equal(StunErrorCodes.PeerAddressFamilyMismatch, (await client.ChannelBindAsync(0x4000, Peer("2606:4700::1111"))).ErrorCode());
    }

    [Fact]
    public async Task A_create_permission_without_a_peer_address_gets_400()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        StunMessage response = await client.RequestAsync(StunMethod.CreatePermission);

        Assert.Equal(StunErrorCodes.BadRequest, response.ErrorCode());
    }

    [Fact]
    public async Task A_create_permission_without_an_allocation_gets_437()
    {
        using TurnTestClient client = _turn.UdpClient();

        Assert.Equal(StunErrorCodes.AllocationMismatch, (await client.CreatePermissionAsync(Peer("203.0.113.5"))).ErrorCode());
    }

    [Fact]
    public async Task One_refused_peer_among_good_ones_refuses_all_and_installs_none()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        StunMessage response = await client.CreatePermissionAsync(Peer("203.0.113.5"), Peer("203.0.113.6"), Peer("10.0.0.1"));

        Assert.Equal(StunErrorCodes.Forbidden, response.ErrorCode());
        Assert.Equal(0, _turn.Turn.BindingCounts.Permissions);
        Assert.Equal(0, _turn.Counters.PermissionsCreated);

        // and the good ones alone are fine, several in one request
        Assert.Equal(0, (await client.CreatePermissionAsync(Peer("203.0.113.5"), Peer("203.0.113.6"))).ErrorCode());
        Assert.Equal(2, _turn.Turn.BindingCounts.Permissions);
    }

    [Fact]
    public async Task A_channel_to_a_refused_peer_gets_403()
    {
        using TurnTestClient client = _turn.UdpClient();
        await client.AllocateOkAsync();

        Assert.Equal(StunErrorCodes.Forbidden, (await client.ChannelBindAsync(0x4000, Peer("192.168.1.1"))).ErrorCode());
        Assert.Equal((0, 0), _turn.Turn.BindingCounts);
    }

    [Fact]
    public async Task The_allow_list_lets_loopback_through_and_nothing_else()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.AllowedPeerRanges.Add("127.0.0.0/8"));
        using TurnTestClient client = turn.UdpClient();
        await client.AllocateOkAsync();

        Assert.Equal(0, (await client.CreatePermissionAsync(Peer("127.0.0.1"))).ErrorCode());
        Assert.Equal(StunErrorCodes.Forbidden, (await client.CreatePermissionAsync(Peer("10.0.0.1"))).ErrorCode());
    }

    [Fact]
    public async Task A_denied_range_is_refused_even_inside_the_allow_list()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o =>
        {
            o.AllowedPeerRanges.Add("127.0.0.0/8");
            o.DeniedPeerRanges.Add("127.0.0.2/32");
            o.DeniedPeerRanges.Add("203.0.113.0/24");
        });
        using TurnTestClient client = turn.UdpClient();
        await client.AllocateOkAsync();

        Assert.Equal(0, (await client.CreatePermissionAsync(Peer("127.0.0.1"))).ErrorCode());
        Assert.Equal(StunErrorCodes.Forbidden, (await client.CreatePermissionAsync(Peer("127.0.0.2"))).ErrorCode());
        Assert.Equal(StunErrorCodes.Forbidden, (await client.CreatePermissionAsync(Peer("203.0.113.5"))).ErrorCode());
    }

    [Fact]
    public async Task The_servers_own_public_address_is_refused_and_announced_as_the_relayed_address()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o => o.ExternalIp = "203.0.113.77/127.0.0.1");
        using TurnTestClient client = turn.UdpClient();

        TransportAddress relayed = await client.AllocateOkAsync();

        Assert.Equal(IPAddress.Parse("203.0.113.77"), relayed.ToIPAddress());
        Assert.Equal(StunErrorCodes.Forbidden, (await client.CreatePermissionAsync(Peer("203.0.113.77"))).ErrorCode());
        Assert.Equal(0, (await client.CreatePermissionAsync(Peer("203.0.113.78"))).ErrorCode());
    }
}
