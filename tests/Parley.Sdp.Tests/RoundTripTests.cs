namespace Parley.Sdp.Tests;

/// <summary>Parse → write gives the same bytes, and the typed attributes write what the browser wrote.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(GoldenData.AllSdp), MemberType = typeof(GoldenData))]
    public void Every_golden_description_is_written_back_byte_for_byte(string name)
    {
        string text = GoldenData.Read(name);
        Assert.EndsWith("\r\n", text);
        Assert.Equal(text, GoldenData.Parse(name).ToString());
    }

    [Theory]
    [MemberData(nameof(GoldenData.AllSdp), MemberType = typeof(GoldenData))]
    public void LF_only_line_ends_parse_to_the_same_description_and_are_written_with_CRLF(string name)
    {
        string text = GoldenData.Read(name);
        Assert.True(SessionDescription.TryParse(text.Replace("\r\n", "\n", StringComparison.Ordinal), out SessionDescription? parsed, out string? error), error);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [MemberData(nameof(GoldenData.AllSdp), MemberType = typeof(GoldenData))]
    public void A_missing_final_line_end_is_tolerated(string name)
    {
        string text = GoldenData.Read(name);
        Assert.True(SessionDescription.TryParse(text[..^2], out SessionDescription? parsed, out string? error), error);
        Assert.Equal(text, parsed.ToString());
    }

    /// <summary>What the typed attributes write is what Chrome wrote: an SFU building lines from typed values writes
    /// Chrome's own spelling. Firefox's and the RFCs' spelling differ in places (msid-semantic without a space, "; " in
    /// fmtp, "UDP") and are kept only through the raw lines.</summary>
    [Theory]
    [MemberData(nameof(GoldenData.ChromeSdp), MemberType = typeof(GoldenData))]
    public void Every_typed_attribute_in_a_Chrome_capture_formats_back_to_the_same_text(string name)
    {
        SessionDescription description = GoldenData.Parse(name);
        int checkedLines = 0;
        foreach (SdpSection section in description.Media.Prepend<SdpSection>(description))
        {
            foreach (SdpAttribute attribute in section.Attributes.Where(a => a.Value is not null))
            {
                string? formatted = TypedRoundTrip.Format(attribute.Name, attribute.Value!);
                if (formatted is not null)
                {
                    Assert.Equal(attribute.Value, formatted);
                    checkedLines++;
                }
            }
        }

        Assert.True(checkedLines > 40, $"only {checkedLines} typed lines in {name}");
    }

    [Theory]
    [MemberData(nameof(GoldenData.AllSdp), MemberType = typeof(GoldenData))]
    public void Typed_attributes_parse_again_to_equal_values_after_formatting(string name)
    {
        SessionDescription description = GoldenData.Parse(name);
        foreach (SdpSection section in description.Media.Prepend<SdpSection>(description))
        {
            foreach (SdpAttribute attribute in section.Attributes.Where(a => a.Value is not null))
            {
                TypedRoundTrip.AssertStable(attribute.Name, attribute.Value!);
            }
        }
    }

    [Fact]
    public void The_origin_connection_timing_and_media_lines_format_back_identically()
    {
        foreach (string name in GoldenData.Chrome.Concat(GoldenData.ByHand))
        {
            SessionDescription description = GoldenData.Parse(name);
            string[] lines = GoldenData.Read(name).Split("\r\n");
            Assert.Equal(lines[1], $"o={description.Origin}");
            Assert.Contains($"t={description.Timing}", lines);
            foreach (MediaDescription media in description.Media)
            {
                Assert.Contains(media.ToString(), lines);
                if (media.Connection is ConnectionData connection)
                {
                    Assert.Contains($"c={connection}", lines);
                }
            }
        }
    }
}
