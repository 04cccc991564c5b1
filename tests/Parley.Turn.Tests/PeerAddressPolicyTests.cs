using System.Net;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>The peer policy on its own: the refused list at its edges, normalisation of IPv6 forms that carry an IPv4
/// address, the allow and deny lists, own addresses and exempt endpoints.</summary>
public sealed class PeerAddressPolicyTests
{
    private static readonly PeerAddressPolicy Default = new([], [], []);

    private static TransportAddress A(string ip, ushort port = 5000) => TransportAddress.FromIPAddress(IPAddress.Parse(ip), port);

    private static AddressRange[] Ranges(params string[] ranges) => [.. ranges.Select(AddressRange.Parse)];

    [Theory]
    [InlineData("0.0.0.0", false)]
    [InlineData("0.255.255.255", false)]
    [InlineData("1.0.0.0", true)]
    [InlineData("9.255.255.255", true)]
    [InlineData("10.0.0.0", false)]
    [InlineData("10.255.255.255", false)]
    [InlineData("11.0.0.0", true)]
    [InlineData("100.63.255.255", true)]
    [InlineData("100.64.0.0", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("100.128.0.0", true)]
    [InlineData("126.255.255.255", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.255.255.255", false)]
    [InlineData("128.0.0.0", true)]
    [InlineData("169.253.255.255", true)]
    [InlineData("169.254.0.0", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("169.255.0.0", true)]
    [InlineData("172.15.255.255", true)]
    [InlineData("172.16.0.0", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.0", true)]
    [InlineData("192.0.0.1", false)]
    [InlineData("192.0.2.1", true)] // TEST-NET-1 is not refused
    [InlineData("192.167.255.255", true)]
    [InlineData("192.168.0.0", false)]
    [InlineData("192.168.255.255", false)]
    [InlineData("192.169.0.0", true)]
    [InlineData("198.17.255.255", true)]
    [InlineData("198.18.0.0", false)]
    [InlineData("198.19.255.255", false)]
    [InlineData("198.20.0.0", true)]
    [InlineData("203.0.113.5", true)] // TEST-NET-3 is not refused
    [InlineData("223.255.255.255", true)]
    [InlineData("224.0.0.0", false)]
    [InlineData("239.255.255.255", false)]
    [InlineData("240.0.0.0", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::2", false)] // IPv4-compatible 0.0.0.2, in 0.0.0.0/8
    [InlineData("100::1", false)]
    [InlineData("100:0:0:1::1", true)] // past 100::/64
    [InlineData("fbff:ffff::1", true)]
    [InlineData("fc00::1", false)]
    [InlineData("fdff:ffff::1", false)]
    [InlineData("fe00::1", true)]
    [InlineData("fe80::1", false)]
    [InlineData("febf:ffff::1", false)]
    [InlineData("fec0::1", false)]
    [InlineData("feff:ffff::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("2001:db8::1", true)]
    public void The_refused_list_is_exact_at_its_edges(string ip, bool allowed)
    {
        Assert.Equal(allowed, Default.IsAllowed(A(ip)));
        Assert.Equal(allowed, Default.IsPermissionAllowed(A(ip)));
        Assert.Equal(allowed, Default.IsAddressAllowed(A(ip)));
    }

    [Theory]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")] // IPv4-mapped
    [InlineData("::10.1.2.3", "10.1.2.3")] // IPv4-compatible
    [InlineData("64:ff9b::a01:203", "10.1.2.3")] // NAT64 well-known prefix
    [InlineData("2002:a01:203::", "10.1.2.3")] // 6to4
    [InlineData("2002:a01:203:ffff::1", "10.1.2.3")] // 6to4 with a subnet and host part
    [InlineData("::ffff:203.0.113.5", "203.0.113.5")]
    public void Ipv6_forms_carrying_an_ipv4_address_normalise_to_it_and_keep_the_port(string ipv6, string ipv4)
    {
        TransportAddress normalised = PeerAddressPolicy.Normalize(A(ipv6, 3478));

        Assert.Equal(A(ipv4, 3478), normalised);
    }

    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("2606:4700::1111")]
    [InlineData("64:ff9c::a01:203")]
    [InlineData("2003::1")]
    [InlineData("10.1.2.3")]
    public void Other_addresses_are_left_as_they_are(string ip) =>
        Assert.Equal(A(ip), PeerAddressPolicy.Normalize(A(ip)));

    [Theory]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("2002:c0a8:101::")]
    [InlineData("2002:7f00:1::")]
    public void An_ipv6_form_of_a_refused_ipv4_address_is_refused(string ip)
    {
        Assert.False(Default.IsAllowed(A(ip)));
        Assert.False(Default.IsPermissionAllowed(A(ip)));
    }

    [Theory]
    [InlineData("::ffff:203.0.113.5")]
    [InlineData("64:ff9b::cb00:7105")]
    [InlineData("2002:cb00:7105::")]
    public void An_ipv6_form_of_a_public_ipv4_address_is_allowed(string ip) => Assert.True(Default.IsAllowed(A(ip)));

    [Fact]
    public void The_allow_list_exempts_its_ranges_in_every_form()
    {
        var policy = new PeerAddressPolicy(Ranges("127.0.0.0/8", "fd00::/8"), [], []);

        Assert.True(policy.IsAllowed(A("127.0.0.1")));
        Assert.True(policy.IsAllowed(A("::ffff:127.0.0.1")));
        Assert.True(policy.IsAllowed(A("fd00::2")));
        Assert.False(policy.IsAllowed(A("10.0.0.1")));
        Assert.False(policy.IsAllowed(A("::1")));
    }

    [Fact]
    public void A_denied_range_wins_over_the_allow_list_and_refuses_public_addresses_too()
    {
        var policy = new PeerAddressPolicy(Ranges("10.0.0.0/8"), Ranges("10.1.0.0/16", "203.0.113.0/24"), []);

        Assert.True(policy.IsAllowed(A("10.2.3.4")));
        Assert.False(policy.IsAllowed(A("10.1.2.3")));
        Assert.False(policy.IsAllowed(A("::ffff:10.1.2.3")));
        Assert.False(policy.IsAllowed(A("203.0.113.5")));
        Assert.False(policy.IsPermissionAllowed(A("203.0.113.5")));
        Assert.True(policy.IsAllowed(A("203.0.114.5")));
    }

    [Fact]
    public void The_servers_own_addresses_are_refused_on_every_port_and_in_mapped_form()
    {
        var policy = new PeerAddressPolicy([], [], [A("203.0.113.77", 3478), A("2606:4700::77", 0)]);

        Assert.False(policy.IsAllowed(A("203.0.113.77", 3478)));
        Assert.False(policy.IsAllowed(A("203.0.113.77", 9)));
        Assert.False(policy.IsAllowed(A("::ffff:203.0.113.77", 9)));
        Assert.False(policy.IsPermissionAllowed(A("203.0.113.77")));
        Assert.False(policy.IsAllowed(A("2606:4700::77", 1)));
        Assert.True(policy.IsAllowed(A("203.0.113.78")));
    }

    [Fact]
    public void An_exempt_endpoint_is_allowed_only_on_its_exact_port_but_allows_a_permission_for_its_address()
    {
        var policy = new PeerAddressPolicy([], [], [A("10.0.0.5", 0)]);
        policy.SetExemptEndpoints([A("10.0.0.5", 40000)]);

        Assert.True(policy.IsAllowed(A("10.0.0.5", 40000)));
        Assert.True(policy.IsAllowed(A("::ffff:10.0.0.5", 40000)));
        Assert.False(policy.IsAllowed(A("10.0.0.5", 40001)));
        Assert.False(policy.IsAllowed(A("10.0.0.6", 40000)));
        Assert.True(policy.IsPermissionAllowed(A("10.0.0.5", 1)));
        Assert.False(policy.IsAddressAllowed(A("10.0.0.5", 40000)), "the address as a whole stays refused");
    }

    [Fact]
    public void An_exempt_endpoint_given_in_mapped_form_matches_its_ipv4_address()
    {
        var policy = new PeerAddressPolicy([], [], []);
        policy.SetExemptEndpoints([A("::ffff:192.168.1.10", 5004)]);

        Assert.True(policy.IsAllowed(A("192.168.1.10", 5004)));
        Assert.False(policy.IsAllowed(A("192.168.1.10", 5005)));
    }

    [Fact]
    public void Setting_exempt_endpoints_replaces_the_earlier_ones()
    {
        var policy = new PeerAddressPolicy([], [], []);
        policy.SetExemptEndpoints([A("10.0.0.5", 40000)]);
        policy.SetExemptEndpoints([A("10.0.0.6", 40000)]);

        Assert.False(policy.IsAllowed(A("10.0.0.5", 40000)));
        Assert.True(policy.IsAllowed(A("10.0.0.6", 40000)));
    }
}
