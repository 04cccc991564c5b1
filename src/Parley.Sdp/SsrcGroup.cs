using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=ssrc-group:&lt;semantics&gt; *(SP &lt;ssrc-id&gt;)</c> (RFC 5576 §4.2): sources that belong together, e.g.
/// <c>FID 2995081019 1987470637</c> (a stream and its RTX repair stream, RFC 5888 §9 and RFC 4588) or
/// <c>SIM a b c</c> (simulcast layers, lowest first).
/// </summary>
public sealed record SsrcGroup : ISdpAttribute<SsrcGroup>
{
    public const string FlowIdentification = "FID";
    public const string Simulcast = "SIM";
    public const string ForwardErrorCorrection = "FEC-FR";

    public SsrcGroup(string semantics, IEnumerable<uint> ssrcs)
    {
        Semantics = SdpGrammar.RequireToken(semantics, nameof(semantics));
        Ssrcs = [.. ssrcs];
    }

    public static string AttributeName => "ssrc-group";

    public string Semantics { get; }

    public IReadOnlyList<uint> Ssrcs { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out SsrcGroup? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] fields) || !SdpGrammar.IsToken(fields[0]))
        {
            return false;
        }

        var ssrcs = new uint[fields.Length - 1];
        for (int i = 1; i < fields.Length; i++)
        {
            if (!SdpGrammar.TryParseUInt32(fields[i], out ssrcs[i - 1]))
            {
                return false;
            }
        }

        attribute = new SsrcGroup(fields[0], ssrcs);
        return true;
    }

    public string FormatValue() =>
        Ssrcs.Count == 0 ? Semantics : $"{Semantics} {string.Join(' ', Ssrcs.Select(SdpGrammar.Format))}";

    public override string ToString() => FormatValue();

    public bool Equals(SsrcGroup? other) =>
        other is not null && Semantics == other.Semantics && SequenceEquality.Equal(Ssrcs, other.Ssrcs);

    public override int GetHashCode() => HashCode.Combine(Semantics, SequenceEquality.Hash(Ssrcs));
}
