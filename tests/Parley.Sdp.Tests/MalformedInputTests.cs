namespace Parley.Sdp.Tests;

/// <summary>Bad descriptions give false and a reason naming the problem; nothing throws.</summary>
public sealed class MalformedInputTests
{
    private const string VideoLine = "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 104 107 108 109 114 115 116 117 39 40 45 46 98 99 100 101 118 119 120";

    private static readonly string Publish = GoldenData.Read(GoldenData.PublishOffer);

    public static TheoryData<string, string, string> Corruptions => new()
    {
        // What to replace in the publish offer, with what, and a word the error must contain.
        { VideoLine, "m=video 9 UDP/TLS/RTP/SAVPF", "m=" },
        { VideoLine, "m=video 9 UDP/TLS/RTP/SAVPF ", "m=" },
        { VideoLine, "m=video 9", "m=" },
        { "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video nine UDP/TLS/RTP/SAVPF 96", "m=" },
        { "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 70000 UDP/TLS/RTP/SAVPF 96", "m=" },
        { "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video -9 UDP/TLS/RTP/SAVPF 96", "m=" },
        { "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 9/0 UDP/TLS/RTP/SAVPF 96", "m=" },
        { "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video  9 UDP/TLS/RTP/SAVPF 96", "m=" },
        { "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 9 UDP//RTP/SAVPF 96", "m=" },
        { "m=video 9 UDP/TLS/RTP/SAVPF 96", "m=", "m=" },
        { "a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8", "rtpmap" },
        { "a=rtpmap:96 VP8/90000", "a=rtpmap:VP8/90000", "rtpmap" },
        { "a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/ninety", "rtpmap" },
        { "a=rtpmap:96 VP8/90000", "a=rtpmap:200 VP8/90000", "rtpmap" },
        { "a=rtpmap:96 VP8/90000", "a=rtpmap", "rtpmap" },
        { "a=fmtp:97 apt=96", "a=fmtp:x apt=96", "fmtp" },
        { "a=rtcp-fb:96 nack pli", "a=rtcp-fb:96", "rtcp-fb" },
        { "a=fingerprint:sha-256 0B:51", "a=fingerprint:sha-256 0X:51", "fingerprint" },
        { "a=fingerprint:sha-256 0B:51:59", "a=fingerprint:sha-256 0B:5159", "fingerprint" },
        { "a=fingerprint:sha-256 0B:51:59", "a=fingerprint:sha-256 0B:51:5", "fingerprint" },
        { "a=fingerprint:sha-256 ", "a=fingerprint:sha-256", "fingerprint" },
        { "a=setup:actpass", "a=setup:maybe", "setup" },
        { "a=extmap:14 ", "a=extmap:0 ", "extmap" },
        { "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid", "a=extmap:4", "extmap" },
        { "a=ssrc:1762840564 cname", "a=ssrc:17628405640 cname", "ssrc" },
        { "a=ssrc-group:FID 2995081019", "a=ssrc-group:FID x2995081019", "ssrc-group" },
        { "a=group:BUNDLE 0 1", "a=group:BUNDLE 0  1", "group" },
        { "a=msid:ebade887", "a=msid: ebade887", "msid" },
        { "a=ice-ufrag:iPpS", "a=ice-ufrag:i_pS", "ice-ufrag" },
        { "a=ice-pwd:GN1L", "a=ice-pwd: GN1L", "ice-pwd" },
        { "a=ice-options:trickle", "a=ice-options:", "ice-options" },
        { "a=mid:1", "a=mid:", "mid" },
        { "a=rtcp:9 IN IP4 0.0.0.0", "a=rtcp:nine IN IP4 0.0.0.0", "rtcp" },
        { "c=IN IP4 0.0.0.0", "c=IN IP4", "c=" },
        { "c=IN IP4 0.0.0.0", "c=IN  IP4 0.0.0.0", "c=" },
        { "t=0 0", "t=0", "t=" },
        { "t=0 0", "t=zero 0", "t=" },
        { "o=- 7989967456326406689 2 IN IP4 127.0.0.1", "o=- 7989967456326406689 two IN IP4 127.0.0.1", "o=" },
        { "o=- 7989967456326406689 2 IN IP4 127.0.0.1", "o=- 7989967456326406689 2 IN IP4", "o=" },
        { "o=- 7989967456326406689 2 IN IP4 127.0.0.1", "o=- 99999999999999999999 2 IN IP4 127.0.0.1", "o=" },
        { "v=0", "v=1", "v=" },
        { "v=0\r\n", "", "v=" },
        { "s=-\r\n", "", "s=" },
        { "t=0 0\r\n", "", "t=" },
        { "a=mid:0\r\n", "a=mid:0\r\nv=0\r\n", "v=" },
        { "a=mid:0\r\n", "a=mid:0\r\nt=0 0\r\n", "t=" },
        { "a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0 1\r\no=- 1 1 IN IP4 0.0.0.0\r\n", "o=" },
        { "a=mid:0\r\n", "a=mid:0\r\n\r\n", "empty" },
        { "a=mid:0\r\n", "a=mid:0\r\na\r\n", "type" },
        { "a=mid:0\r\n", "a=mid:0\r\n=x\r\n", "type" },
        { "a=mid:0\r\n", "a=mid:0\r\n1=x\r\n", "type" },
        { "a=mid:0\r\n", "a=mid:0\r\na =x\r\n", "type" },
        { "a=mid:0\r\n", "a=mid:0\r\na=:x\r\n", "a=" },
        { "a=mid:0\r\n", "a=mid:0\r\na=mid\rx\r\n", "CR" },
        { "a=mid:0\r\n", "a=mid:0\r\na=x\0\r\n", "NUL" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void A_corrupted_publish_offer_is_refused_with_a_reason(string find, string replace, string mention)
    {
        Assert.Contains(find, Publish);
        string corrupted = Publish.Replace(find, replace, StringComparison.Ordinal);
        Assert.False(SessionDescription.TryParse(corrupted, out SessionDescription? description, out string? error));
        Assert.Null(description);
        Assert.Contains(mention, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("v=0")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n")]
    [InlineData("o=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n")]
    [InlineData("hello world")]
    [InlineData("{\"type\":\"offer\",\"sdp\":\"v=0\"}")]
    public void Empty_and_truncated_descriptions_are_refused(string? text)
    {
        Assert.False(SessionDescription.TryParse(text, out _, out string? error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void The_smallest_description_parses()
    {
        Assert.True(SessionDescription.TryParse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=\nt=0 0\n", out SessionDescription? description, out _));
        Assert.Empty(description.Media);
        Assert.Equal("", description.SessionName);
        Assert.Equal("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=\r\nt=0 0\r\n", description.ToString());
    }

    [Fact]
    public void Unknown_line_types_and_attributes_are_kept_in_place()
    {
        string text = Publish.Replace("t=0 0\r\n", "t=0 0\r\ny=session-level\r\n", StringComparison.Ordinal)
            .Replace("a=mid:1\r\n", "a=mid:1\r\nx=media-level\r\na=x-unknown:1 2 3\r\na=x-flag\r\n", StringComparison.Ordinal);
        Assert.True(SessionDescription.TryParse(text, out SessionDescription? description, out string? error), error);
        Assert.Equal(text, description.ToString());
        Assert.Contains(new SdpLine('y', "session-level"), description.Lines);
        Assert.Equal("1 2 3", description.Media[1].GetAttributeValue("x-unknown"));
        Assert.True(description.Media[1].HasAttribute("x-flag"));
    }

    /// <summary>Every prefix of the smaller hand-written files, and for every file the prefixes that end at, just
    /// before and just after each line end: cut lines, cut line ends, and whole-line truncations.</summary>
    [Theory]
    [MemberData(nameof(GoldenData.AllSdp), MemberType = typeof(GoldenData))]
    public void Every_truncated_prefix_parses_or_is_refused_without_throwing(string name)
    {
        string text = GoldenData.Read(name);
        IEnumerable<int> lengths = text.Length < 4000 && GoldenData.ByHand.Contains(name)
            ? Enumerable.Range(0, text.Length)
            : text.Select((c, i) => (c, i)).Where(x => x.c == '\n').SelectMany(x => new[] { x.i - 2, x.i - 1, x.i, x.i + 1 });
        foreach (int length in lengths.Where(l => l >= 0 && l < text.Length))
        {
            bool parsed = SessionDescription.TryParse(text[..length], out SessionDescription? description, out string? error);
            Assert.True(parsed ? description is not null && error is null : description is null && error is not null);
            if (parsed)
            {
                Assert.True(SessionDescription.TryParse(description!.ToString(), out _, out error), error);
            }
        }
    }

    [Fact]
    public void A_description_beyond_a_megabyte_is_refused()
    {
        string huge = Publish + string.Concat(Enumerable.Repeat("a=x-padding:0123456789012345678901234567890123456789\r\n", 30_000));
        Assert.False(SessionDescription.TryParse(huge, out _, out string? error));
        Assert.Contains("longer", error, StringComparison.Ordinal);
    }
}
