using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=rtcp-fb:&lt;payload type&gt; &lt;type&gt; [&lt;subtype and parameters&gt;]</c> (RFC 4585 §4.2): an RTCP feedback
/// message the endpoint understands for one payload type, or for all of them with <c>*</c>. WebRTC uses
/// <c>nack</c>, <c>nack pli</c>, <c>ccm fir</c> (RFC 5104), <c>goog-remb</c> and <c>transport-cc</c>.
/// </summary>
public sealed record RtcpFeedback : ISdpAttribute<RtcpFeedback>
{
    public const string Nack = "nack";
    public const string Ccm = "ccm";
    public const string GoogRemb = "goog-remb";
    public const string TransportCc = "transport-cc";
    public const string Pli = "pli";
    public const string Fir = "fir";

    /// <param name="payloadType">The payload type, or null for <c>*</c> (every payload type).</param>
    public RtcpFeedback(int? payloadType, string type, string? subtype = null)
    {
        PayloadType = payloadType is null ? null : SdpGrammar.RequireRange(payloadType.Value, 0, 127, nameof(payloadType));
        Type = SdpGrammar.RequireToken(type, nameof(type));
        Subtype = subtype is null || (subtype.Length > 0 && SdpGrammar.IsLineText(subtype) && !subtype.StartsWith(' ') && !subtype.EndsWith(' '))
            ? subtype
            : throw new ArgumentException($"'{subtype}' cannot be a feedback subtype.", nameof(subtype));
    }

    public static string AttributeName => "rtcp-fb";

    /// <summary>The payload type, or null for the wildcard <c>*</c>.</summary>
    public int? PayloadType { get; }

    public string Type { get; }

    /// <summary>Everything after the type (<c>pli</c>, <c>fir</c>, a trr-int interval...), or null.</summary>
    public string? Subtype { get; }

    /// <summary>Whether this is the given type and subtype (null for none), e.g. ("nack", "pli").</summary>
    public bool Is(string type, string? subtype = null) => Type == type && Subtype == subtype;

    /// <summary>The same feedback for another payload type.</summary>
    public RtcpFeedback ForPayloadType(int? payloadType) => new(payloadType, Type, Subtype);

    public static bool TryParseValue(string value, [NotNullWhen(true)] out RtcpFeedback? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFirst(value, out string pt, out string rest))
        {
            return false;
        }

        int? payloadType = null;
        if (pt != "*")
        {
            if (!SdpGrammar.TryParsePayloadType(pt, out int number))
            {
                return false;
            }

            payloadType = number;
        }

        string type = rest;
        string? subtype = null;
        if (SdpGrammar.TrySplitFirst(rest, out string first, out string more))
        {
            (type, subtype) = (first, more);
        }

        if (!SdpGrammar.IsToken(type) || (subtype is not null && (subtype.StartsWith(' ') || subtype.EndsWith(' '))))
        {
            return false;
        }

        attribute = new RtcpFeedback(payloadType, type, subtype);
        return true;
    }

    public string FormatValue()
    {
        string pt = PayloadType is int number ? SdpGrammar.Format(number) : "*";
        return Subtype is null ? $"{pt} {Type}" : $"{pt} {Type} {Subtype}";
    }

    public override string ToString() => FormatValue();
}
