using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=group:&lt;semantics&gt; *(SP &lt;identification-tag&gt;)</c> (RFC 5888 §5), a session attribute grouping media
/// sections by their mid. WebRTC uses <c>BUNDLE</c> (RFC 9143): every listed section shares one transport, the first
/// being the tagged one. <c>LS</c> asks for lip sync.
/// </summary>
public sealed record Group : ISdpAttribute<Group>
{
    public const string Bundle = "BUNDLE";
    public const string LipSync = "LS";

    public Group(string semantics, IEnumerable<string> mids)
    {
        Semantics = SdpGrammar.RequireToken(semantics, nameof(semantics));
        Mids = [.. mids.Select(m => SdpGrammar.RequireToken(m, nameof(mids)))];
    }

    public static string AttributeName => "group";

    public string Semantics { get; }

    /// <summary>The identification tags (mids), in order.</summary>
    public IReadOnlyList<string> Mids { get; }

    public bool IsBundle => Semantics == Bundle;

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Group? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] fields) || !fields.All(f => SdpGrammar.IsToken(f)))
        {
            return false;
        }

        attribute = new Group(fields[0], fields[1..]);
        return true;
    }

    public string FormatValue() => Mids.Count == 0 ? Semantics : $"{Semantics} {string.Join(' ', Mids)}";

    public override string ToString() => FormatValue();

    public bool Equals(Group? other) =>
        other is not null && Semantics == other.Semantics && SequenceEquality.Equal(Mids, other.Mids);

    public override int GetHashCode() => HashCode.Combine(Semantics, SequenceEquality.Hash(Mids));
}
