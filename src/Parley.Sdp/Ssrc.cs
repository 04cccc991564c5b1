using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=ssrc:&lt;ssrc-id&gt; &lt;attribute&gt;[:&lt;value&gt;]</c> (RFC 5576 §4.1): a source-level attribute of one
/// synchronisation source, e.g. <c>1762840564 cname:BXgMFL6HgqXxmAQS</c> or Chrome's
/// <c>1762840564 msid:&lt;stream&gt; &lt;track&gt;</c>.
/// </summary>
public sealed record Ssrc : ISdpAttribute<Ssrc>
{
    public const string Cname = "cname";
    public const string Msid = "msid";

    public Ssrc(uint id, string attributeName, string? attributeValue = null)
    {
        Id = id;
        AttributeName = SdpGrammar.RequireToken(attributeName, nameof(attributeName));
        AttributeValue = attributeValue is null || SdpGrammar.IsLineText(attributeValue)
            ? attributeValue
            : throw new ArgumentException("The value cannot hold CR, LF or NUL.", nameof(attributeValue));
    }

    static string ISdpAttribute<Ssrc>.AttributeName => "ssrc";

    public uint Id { get; }

    /// <summary>The source attribute's name: <c>cname</c>, <c>msid</c>...</summary>
    public string AttributeName { get; }

    public string? AttributeValue { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Ssrc? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFirst(value, out string id, out string rest) || !SdpGrammar.TryParseUInt32(id, out uint ssrc))
        {
            return false;
        }

        string name = SdpAttribute.NameOf(rest);
        if (!SdpGrammar.IsToken(name))
        {
            return false;
        }

        attribute = new Ssrc(ssrc, name, SdpAttribute.ValueOf(rest, name));
        return true;
    }

    public string FormatValue() =>
        AttributeValue is null ? $"{SdpGrammar.Format(Id)} {AttributeName}" : $"{SdpGrammar.Format(Id)} {AttributeName}:{AttributeValue}";

    public override string ToString() => FormatValue();
}
