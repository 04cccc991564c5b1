using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=extmap:&lt;value&gt;["/"&lt;direction&gt;] &lt;URI&gt; [&lt;extension attributes&gt;]</c> (RFC 8285 §8): maps an RTP
/// header extension, named by URI, to the local id used on the wire. Ids 1-14 fit the one-byte header, 1-255 the
/// two-byte header; 4096-4351 are reserved for negotiation in offers (RFC 8285 §5).
/// </summary>
public sealed record Extmap : ISdpAttribute<Extmap>
{
    public const string SdesMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string SdesRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public const string SdesRepairedRtpStreamId = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const string VideoOrientation = "urn:3gpp:video-orientation";
    public const string TransmissionOffset = "urn:ietf:params:rtp-hdrext:toffset";

    public Extmap(int id, string uri, MediaDirection? direction = null, string? extensionAttributes = null)
    {
        Id = IsValidId(id) ? id : throw new ArgumentOutOfRangeException(nameof(id), id, "Must be 1-255 or 4096-4351.");
        Uri = SdpGrammar.RequireNonWhitespace(uri, nameof(uri));
        Direction = direction;
        ExtensionAttributes = extensionAttributes is null || (extensionAttributes.Length > 0 && SdpGrammar.IsLineText(extensionAttributes))
            ? extensionAttributes
            : throw new ArgumentException("Extension attributes must be non-empty text.", nameof(extensionAttributes));
    }

    public static string AttributeName => "extmap";

    public int Id { get; }

    /// <summary>The direction written after the id, if any (<c>a=extmap:2/recvonly ...</c>).</summary>
    public MediaDirection? Direction { get; }

    public string Uri { get; }

    /// <summary>Whatever follows the URI, as written; its meaning belongs to the extension.</summary>
    public string? ExtensionAttributes { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Extmap? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFirst(value, out string entry, out string rest))
        {
            return false;
        }

        int slash = entry.IndexOf('/', StringComparison.Ordinal);
        MediaDirection? direction = null;
        if (slash >= 0)
        {
            if (!MediaDirectionExtensions.TryParseMediaDirection(entry[(slash + 1)..], out MediaDirection parsed))
            {
                return false;
            }

            direction = parsed;
            entry = entry[..slash];
        }

        if (!SdpGrammar.TryParseInt(entry, 1, 4351, out int id) || !IsValidId(id))
        {
            return false;
        }

        string uri = rest;
        string? attributes = null;
        if (SdpGrammar.TrySplitFirst(rest, out string first, out string more))
        {
            uri = first;
            attributes = more;
        }

        if (!SdpGrammar.IsNonWhitespace(uri))
        {
            return false;
        }

        attribute = new Extmap(id, uri, direction, attributes);
        return true;
    }

    public string FormatValue()
    {
        string entry = Direction is MediaDirection d ? $"{SdpGrammar.Format(Id)}/{d.ToSdpString()}" : SdpGrammar.Format(Id);
        return ExtensionAttributes is null ? $"{entry} {Uri}" : $"{entry} {Uri} {ExtensionAttributes}";
    }

    public override string ToString() => FormatValue();

    private static bool IsValidId(int id) => id is (>= 1 and <= 255) or (>= 4096 and <= 4351);
}
