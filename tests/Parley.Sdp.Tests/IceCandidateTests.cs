namespace Parley.Sdp.Tests;

/// <summary>Trickled candidate strings (RFC 8839 §5.1, RFC 8840 §4) from Chromium, and the grammar's edges.</summary>
public sealed class IceCandidateTests
{
    public static TheoryData<string> Trickled =>
        [.. GoldenData.ReadLines(GoldenData.TrickledCandidates), .. GoldenData.ReadLines(GoldenData.TrickledCandidatesNoMdns)];

    [Theory]
    [MemberData(nameof(Trickled))]
    public void Every_trickled_Chrome_candidate_is_written_back_identically(string text)
    {
        Assert.True(IceCandidate.TryParse(text, out IceCandidate? candidate));
        Assert.NotNull(candidate);
        Assert.Equal(text, candidate.ToString());
        Assert.Equal(IceProtocol.Udp, candidate.Protocol);
        Assert.Equal(1, candidate.Component);
        Assert.Equal(0, candidate.Generation);
        Assert.Equal(999, candidate.NetworkCost);
        Assert.NotNull(candidate.UsernameFragment);
        Assert.Equal(["generation", "ufrag", "network-cost"], candidate.Extensions.Select(e => e.Name));
    }

    [Fact]
    public void A_trickled_mDNS_host_candidate_reads_field_by_field()
    {
        const string text = "candidate:796157315 1 udp 2113937151 a524d7df-477a-42a6-9e10-205ad078a7fc.local 39801 typ host generation 0 ufrag 11Ww network-cost 999";
        Assert.Contains(text, GoldenData.ReadLines(GoldenData.TrickledCandidates));
        Assert.True(IceCandidate.TryParse(text, out IceCandidate? c));
        Assert.Equal(("796157315", 1, "udp", 2113937151u), (c!.Foundation, c.Component, c.Transport, c.Priority));
        Assert.Equal(("a524d7df-477a-42a6-9e10-205ad078a7fc.local", 39801, IceCandidateType.Host), (c.Address, c.Port, c.Type));
        Assert.Equal((null, (int?)null), (c.RelatedAddress, c.RelatedPort));
        Assert.Equal("11Ww", c.UsernameFragment);
        Assert.Null(c.TcpType);
        Assert.Null(c.NetworkId);
    }

    [Fact]
    public void Trickled_srflx_and_relay_candidates_carry_their_related_address()
    {
        string[] lines = GoldenData.ReadLines(GoldenData.TrickledCandidates);
        IceCandidate[] candidates = [.. lines.Select(l => IceCandidate.TryParse(l, out IceCandidate? c) ? c! : throw new FormatException(l))];
        Assert.Equal(4, candidates.Count(c => c.Type == IceCandidateType.Host));
        IceCandidate srflx = candidates.First(c => c.Type == IceCandidateType.ServerReflexive);
        Assert.Equal(("192.0.2.2", 39801, "0.0.0.0", 0), (srflx.Address, srflx.Port, srflx.RelatedAddress, srflx.RelatedPort));
        Assert.Equal(1677729535u, srflx.Priority);
        IceCandidate relay = candidates.First(c => c.Type == IceCandidateType.Relayed);
        Assert.Equal(("192.0.2.2", 50077, "192.0.2.2", 39801), (relay.Address, relay.Port, relay.RelatedAddress, relay.RelatedPort));
        Assert.Equal(4, candidates.Count(c => c.Type == IceCandidateType.Relayed));
    }

    [Fact]
    public void Without_mDNS_Chrome_trickles_IPv4_and_IPv6_host_candidates()
    {
        IceCandidate[] candidates = [.. GoldenData.ReadLines(GoldenData.TrickledCandidatesNoMdns)
            .Select(l => IceCandidate.TryParse(l, out IceCandidate? c) ? c! : throw new FormatException(l))];
        Assert.Contains(candidates, c => c.Type == IceCandidateType.Host && c.Address == "192.0.2.2");
        Assert.Contains(candidates, c => c.Type == IceCandidateType.Host && c.Address == "fd00::2");
        Assert.Contains(candidates, c => c.Type == IceCandidateType.ServerReflexive && c.RelatedAddress == "192.0.2.2");
    }

    [Fact]
    public void The_empty_string_is_the_end_of_candidates()
    {
        Assert.True(IceCandidate.TryParse("", out IceCandidate? candidate));
        Assert.Null(candidate);
        Assert.False(IceCandidate.TryParse(null, out _));
    }

    [Theory]
    [InlineData("a=candidate:1 1 UDP 2122252543 192.0.2.4 51300 typ host")]
    [InlineData("candidate:1 1 TCP 2105524479 192.0.2.4 9 typ host tcptype active")]
    public void The_a_prefix_is_tolerated_and_TCP_candidates_read_their_tcptype(string text)
    {
        Assert.True(IceCandidate.TryParse(text, out IceCandidate? candidate));
        Assert.Equal(text.Replace("a=", "", StringComparison.Ordinal), candidate!.ToString());
        if (candidate.Protocol == IceProtocol.Tcp)
        {
            Assert.Equal(IceTcpType.Active, candidate.TcpType);
        }
    }

    [Theory]
    [InlineData("candidate:")]
    [InlineData("1 1 udp 1 192.0.2.1 1 typ host")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 1 typ")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 1 type host")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 1 typ bogus")]
    [InlineData("candidate:1 0 udp 1 192.0.2.1 1 typ host")]
    [InlineData("candidate:1 257 udp 1 192.0.2.1 1 typ host")]
    [InlineData("candidate:1 1 udp 4294967296 192.0.2.1 1 typ host")]
    [InlineData("candidate:1 1 udp -1 192.0.2.1 1 typ host")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 65536 typ host")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 port typ host")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr 192.0.2.2 rport x")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 1 typ host generation")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 1 typ host generation 0 ufrag")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1  1 typ host")]
    [InlineData("candidate:1 1 udp 1 192.0.2.1 1 typ host ")]
    [InlineData("candidate:a_b 1 udp 1 192.0.2.1 1 typ host")]
    [InlineData("candidate:123456789012345678901234567890123 1 udp 1 192.0.2.1 1 typ host")]
    [InlineData("candidate:1 1 u/dp 1 192.0.2.1 1 typ host")]
    public void Malformed_candidates_are_refused(string text)
    {
        Assert.False(IceCandidate.TryParse(text, out _), text);
    }

    [Fact]
    public void A_built_candidate_writes_the_RFC_spelling_and_parses_back()
    {
        uint priority = IceCandidate.ComputePriority(IceCandidateType.Host, 65535, 1);
        var candidate = new IceCandidate("sfu1", 1, IceProtocol.Udp, priority, "198.51.100.7", 40000, IceCandidateType.Host)
            .WithExtension("generation", "0");
        Assert.Equal("candidate:sfu1 1 UDP 2130706431 198.51.100.7 40000 typ host generation 0", candidate.ToString());
        Assert.True(IceCandidate.TryParse(candidate.ToString(), out IceCandidate? parsed));
        Assert.Equal(candidate, parsed);

        var tcp = new IceCandidate("sfu2", 1, IceProtocol.Tcp, 1, "198.51.100.7", 443, IceCandidateType.Host,
            extensions: [new IceCandidateExtension("tcptype", "passive")]);
        Assert.Equal(IceTcpType.Passive, tcp.TcpType);
        Assert.Equal("sfu2 1 TCP 1 198.51.100.7 443 typ host tcptype passive", tcp.FormatValue());
    }

    [Theory]
    [InlineData(IceCandidateType.Host, 30, 1, 2113937151u)] // Chrome's IPv4 host candidates above
    [InlineData(IceCandidateType.Host, 0, 2, 2113929470u)] // RFC 8829 §7.1, component 2
    [InlineData(IceCandidateType.ServerReflexive, 30, 1, 1677729535u)]
    [InlineData(IceCandidateType.Relayed, 0, 1, 255u)] // RFC 8829 §7.2
    public void The_priority_formula_gives_the_priorities_seen_in_the_wild(IceCandidateType type, int localPreference, int component, uint expected) =>
        Assert.Equal(expected, IceCandidate.ComputePriority(type, localPreference, component));
}
