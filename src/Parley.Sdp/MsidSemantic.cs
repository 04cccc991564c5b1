using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=msid-semantic: WMS *(SP &lt;stream id&gt;)</c>, the session attribute of the early msid drafts
/// (draft-ietf-mmusic-msid-05 §4) that Chrome and Firefox still write; RFC 8830 dropped it. Chrome writes a space after
/// the colon (<c>msid-semantic: WMS</c>), Firefox does not (<c>msid-semantic:WMS *</c>); both forms are read, and this
/// type writes Chrome's, which both browsers accept.
/// </summary>
public sealed record MsidSemantic : ISdpAttribute<MsidSemantic>
{
    public const string WebRtcMediaStream = "WMS";

    public MsidSemantic(string semantic, IEnumerable<string> streamIds)
    {
        Semantic = SdpGrammar.RequireToken(semantic, nameof(semantic));
        StreamIds = [.. streamIds.Select(m => SdpGrammar.RequireNonWhitespace(m, nameof(streamIds)))];
    }

    public static string AttributeName => "msid-semantic";

    /// <summary>The semantic, <c>WMS</c> in practice.</summary>
    public string Semantic { get; }

    /// <summary>The media stream ids, or <c>*</c> for all of them.</summary>
    public IReadOnlyList<string> StreamIds { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out MsidSemantic? attribute)
    {
        attribute = null;
        string text = value.StartsWith(' ') ? value[1..] : value;
        if (!SdpGrammar.TrySplitFields(text, out string[] fields) || !SdpGrammar.IsToken(fields[0])
            || !fields.All(f => SdpGrammar.IsNonWhitespace(f)))
        {
            return false;
        }

        attribute = new MsidSemantic(fields[0], fields[1..]);
        return true;
    }

    public string FormatValue() => StreamIds.Count == 0 ? $" {Semantic}" : $" {Semantic} {string.Join(' ', StreamIds)}";

    public override string ToString() => FormatValue();

    public bool Equals(MsidSemantic? other) =>
        other is not null && Semantic == other.Semantic && SequenceEquality.Equal(StreamIds, other.StreamIds);

    public override int GetHashCode() => HashCode.Combine(Semantic, SequenceEquality.Hash(StreamIds));
}
