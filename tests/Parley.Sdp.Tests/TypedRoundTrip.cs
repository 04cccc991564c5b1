namespace Parley.Sdp.Tests;

/// <summary>Parses an attribute value with its typed reader, by name, and formats it again.</summary>
internal static class TypedRoundTrip
{
    /// <summary>The typed writer's text for this value, or null if the attribute has no typed reader.</summary>
    public static string? Format(string name, string value) => name switch
    {
        "group" => Reformat<Group>(value),
        "msid-semantic" => Reformat<MsidSemantic>(value),
        "fingerprint" => Reformat<Fingerprint>(value),
        "extmap" => Reformat<Extmap>(value),
        "rtpmap" => Reformat<Rtpmap>(value),
        "fmtp" => Reformat<Fmtp>(value),
        "rtcp-fb" => Reformat<RtcpFeedback>(value),
        "ssrc" => Reformat<Ssrc>(value),
        "ssrc-group" => Reformat<SsrcGroup>(value),
        "msid" => Reformat<Msid>(value),
        "rid" => Reformat<Rid>(value),
        "simulcast" => Reformat<Simulcast>(value),
        "candidate" => Reformat<IceCandidate>(value),
        "rtcp" => Reformat<RtcpAddress>(value),
        _ => null,
    };

    /// <summary>Formatting is a fixed point after one pass: parse, format, parse gives an equal value that formats the
    /// same.</summary>
    public static void AssertStable(string name, string value)
    {
        switch (name)
        {
            case "group": Stable<Group>(value); break;
            case "msid-semantic": Stable<MsidSemantic>(value); break;
            case "fingerprint": Stable<Fingerprint>(value); break;
            case "extmap": Stable<Extmap>(value); break;
            case "rtpmap": Stable<Rtpmap>(value); break;
            case "fmtp": Stable<Fmtp>(value); break;
            case "rtcp-fb": Stable<RtcpFeedback>(value); break;
            case "ssrc": Stable<Ssrc>(value); break;
            case "ssrc-group": Stable<SsrcGroup>(value); break;
            case "msid": Stable<Msid>(value); break;
            case "rid": Stable<Rid>(value); break;
            case "simulcast": Stable<Simulcast>(value); break;
            case "candidate": Stable<IceCandidate>(value); break;
            case "rtcp": Stable<RtcpAddress>(value); break;
            default: break;
        }
    }

    private static string Reformat<T>(string value)
        where T : class, ISdpAttribute<T>
    {
        Assert.True(T.TryParseValue(value, out T? attribute), $"{T.AttributeName}:{value}");
        return attribute.FormatValue();
    }

    private static void Stable<T>(string value)
        where T : class, ISdpAttribute<T>
    {
        Assert.True(T.TryParseValue(value, out T? first), $"{T.AttributeName}:{value}");
        string formatted = first.FormatValue();
        Assert.True(T.TryParseValue(formatted, out T? second), $"{T.AttributeName}:{formatted}");
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.Equal(formatted, second.FormatValue());
    }
}
