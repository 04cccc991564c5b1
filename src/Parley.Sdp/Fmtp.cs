using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=fmtp:&lt;format&gt; &lt;format specific parameters&gt;</c> (RFC 8866 §6.15): parameters of one payload type as
/// ordered <c>key=value</c> pairs separated by ';', for example <c>apt=96</c> (RTX, RFC 4588),
/// <c>level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f</c> (H.264, RFC 6184) or
/// <c>minptime=10;useinbandfec=1</c> (Opus, RFC 7587). Spaces around pairs are read and not written; empty pairs are
/// dropped. Parameter names compare ignoring case, as media type parameters do.
/// </summary>
public sealed record Fmtp : ISdpAttribute<Fmtp>
{
    public Fmtp(int payloadType, IEnumerable<FmtpParameter> parameters)
    {
        PayloadType = SdpGrammar.RequireRange(payloadType, 0, 127, nameof(payloadType));
        Parameters = [.. parameters];
    }

    public static string AttributeName => "fmtp";

    public int PayloadType { get; }

    public IReadOnlyList<FmtpParameter> Parameters { get; }

    /// <summary>The value of the first parameter with this name; a bare parameter has the empty string.</summary>
    public bool TryGetParameter(string name, [NotNullWhen(true)] out string? value) => TryGet(Parameters, name, out value);

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Fmtp? attribute)
    {
        attribute = null;
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        string format = space < 0 ? value : value[..space];
        List<FmtpParameter> parameters = [];
        if (!SdpGrammar.TryParsePayloadType(format, out int payloadType)
            || (space >= 0 && !TryParseParameters(value[(space + 1)..], out parameters)))
        {
            return false;
        }

        attribute = new Fmtp(payloadType, parameters);
        return true;
    }

    public string FormatValue() =>
        Parameters.Count == 0 ? SdpGrammar.Format(PayloadType) : $"{SdpGrammar.Format(PayloadType)} {FormatParameters(Parameters)}";

    public override string ToString() => FormatValue();

    public bool Equals(Fmtp? other) =>
        other is not null && PayloadType == other.PayloadType && SequenceEquality.Equal(Parameters, other.Parameters);

    public override int GetHashCode() => HashCode.Combine(PayloadType, SequenceEquality.Hash(Parameters));

    internal static bool TryGet(IReadOnlyList<FmtpParameter> parameters, string name, [NotNullWhen(true)] out string? value)
    {
        foreach (FmtpParameter parameter in parameters)
        {
            if (string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = parameter.Value ?? "";
                return true;
            }
        }

        value = null;
        return false;
    }

    internal static string FormatParameters(IReadOnlyList<FmtpParameter> parameters) => string.Join(';', parameters);

    /// <summary>Pairs separated by ';'. A pair with nothing before its '=' is malformed.</summary>
    private static bool TryParseParameters(string text, out List<FmtpParameter> parameters)
    {
        parameters = [];
        foreach (string piece in text.Split(';'))
        {
            string pair = piece.Trim(' ');
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (pair.Length == 0)
            {
                continue;
            }

            if (equals < 0)
            {
                parameters.Add(new FmtpParameter(pair));
                continue;
            }

            string name = pair[..equals].TrimEnd(' ');
            if (name.Length == 0)
            {
                return false;
            }

            parameters.Add(new FmtpParameter(name, pair[(equals + 1)..].TrimStart(' ')));
        }

        return true;
    }
}
