using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]</c>
/// (RFC 8866 §6.6): what a dynamic payload type of the m= line carries, e.g. <c>111 opus/48000/2</c> or
/// <c>96 VP8/90000</c>. For audio the encoding parameter is the channel count.
/// </summary>
public sealed record Rtpmap : ISdpAttribute<Rtpmap>
{
    public Rtpmap(int payloadType, string encodingName, uint clockRate, int? channels = null)
    {
        PayloadType = SdpGrammar.RequireRange(payloadType, 0, 127, nameof(payloadType));
        EncodingName = encodingName.Contains('/', StringComparison.Ordinal)
            ? throw new ArgumentException("An encoding name cannot hold '/'.", nameof(encodingName))
            : SdpGrammar.RequireToken(encodingName, nameof(encodingName));
        ClockRate = clockRate;
        Channels = channels is null ? null : SdpGrammar.RequireRange(channels.Value, 1, int.MaxValue, nameof(channels));
    }

    public static string AttributeName => "rtpmap";

    public int PayloadType { get; }

    /// <summary>The media subtype as written (<c>opus</c>, <c>VP8</c>, <c>H264</c>, <c>rtx</c>); compare it ignoring case.</summary>
    public string EncodingName { get; }

    public uint ClockRate { get; }

    public int? Channels { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Rtpmap? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFirst(value, out string pt, out string encoding)
            || !SdpGrammar.TryParsePayloadType(pt, out int payloadType))
        {
            return false;
        }

        string[] parts = encoding.Split('/');
        int? channels = null;
        if (parts.Length is < 2 or > 3 || !SdpGrammar.IsToken(parts[0])
            || !SdpGrammar.TryParseUInt32(parts[1], out uint clockRate))
        {
            return false;
        }

        if (parts.Length == 3)
        {
            if (!SdpGrammar.TryParseInt(parts[2], 1, int.MaxValue, out int count))
            {
                return false;
            }

            channels = count;
        }

        attribute = new Rtpmap(payloadType, parts[0], clockRate, channels);
        return true;
    }

    public string FormatValue()
    {
        string map = $"{SdpGrammar.Format(PayloadType)} {EncodingName}/{SdpGrammar.Format(ClockRate)}";
        return Channels is int channels ? $"{map}/{SdpGrammar.Format(channels)}" : map;
    }

    public override string ToString() => FormatValue();
}
