using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>CIDR ranges: parsing, containment at the edges, and families kept apart.</summary>
public sealed class AddressRangeTests
{
    private static TransportAddress A(string ip) => TransportAddress.FromIPAddress(IPAddress.Parse(ip), 1234);

    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("203.0.113.7/32", "203.0.113.7", true)]
    [InlineData("203.0.113.7/32", "203.0.113.8", false)]
    [InlineData("203.0.113.7", "203.0.113.7", true)] // a lone address is a range of one
    [InlineData("203.0.113.7", "203.0.113.6", false)]
    [InlineData("0.0.0.0/0", "255.255.255.255", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("fe80::/10", "fe80::1", true)]
    [InlineData("fe80::/10", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
    [InlineData("fe80::/10", "fec0::", false)]
    [InlineData("::1/128", "::1", true)]
    [InlineData("::1/128", "::2", false)]
    [InlineData("::/0", "2606:4700::1", true)]
    [InlineData("::/0", "10.0.0.1", false)]
    [InlineData("::ffff:0:0/96", "::ffff:10.0.0.1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", false)] // the range does not normalise; the policy does
    [InlineData("2001:db8::/33", "2001:db8:7fff::1", true)]
    [InlineData("2001:db8::/33", "2001:db8:8000::1", false)]
    public void A_range_contains_exactly_its_addresses(string range, string ip, bool contained) =>
        Assert.Equal(contained, AddressRange.Parse(range).Contains(A(ip)));

    [Theory]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("192.168.7.200/30", "192.168.7.200/30")]
    [InlineData("192.168.7.201/30", "192.168.7.200/30")]
    [InlineData("fe80::1234/10", "fe80::/10")]
    [InlineData(" 127.0.0.1 ", "127.0.0.1/32")]
    [InlineData("::1", "::1/128")]
    public void Host_bits_are_cleared_and_the_range_prints_as_cidr(string text, string printed) =>
        Assert.Equal(printed, AddressRange.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("10.0.0.0/33")]
    [InlineData("::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/eight")]
    public void Malformed_ranges_are_refused(string text)
    {
        Assert.False(AddressRange.TryParse(text, out _));
        Assert.Throws<FormatException>(() => AddressRange.Parse(text));
    }

    [Fact]
    public void The_family_comes_from_the_address()
    {
        Assert.Equal(AddressFamily.InterNetwork, AddressRange.Parse("10.0.0.0/8").Family);
        Assert.Equal(AddressFamily.InterNetworkV6, AddressRange.Parse("::ffff:10.0.0.0/104").Family);
    }
}
