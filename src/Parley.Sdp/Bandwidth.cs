using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// A bandwidth line (RFC 8866 §5.8): <c>b=&lt;bwtype&gt;:&lt;bandwidth&gt;</c>, for example <c>b=AS:2500</c> (kilobits per
/// second) or <c>b=TIAS:2500000</c> (bits per second, RFC 3890).
/// </summary>
public sealed record Bandwidth
{
    public const string ApplicationSpecific = "AS";
    public const string ConferenceTotal = "CT";
    public const string TransportIndependent = "TIAS";

    public Bandwidth(string type, ulong value)
    {
        Type = SdpGrammar.RequireToken(type, nameof(type));
        Value = value;
    }

    public string Type { get; }

    public ulong Value { get; }

    public static bool TryParse(string value, [NotNullWhen(true)] out Bandwidth? bandwidth)
    {
        bandwidth = null;
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !SdpGrammar.IsToken(value.AsSpan(0, colon))
            || !SdpGrammar.TryParseUInt64(value.AsSpan(colon + 1), out ulong amount))
        {
            return false;
        }

        bandwidth = new Bandwidth(value[..colon], amount);
        return true;
    }

    /// <summary>The text after <c>b=</c>.</summary>
    public override string ToString() => $"{Type}:{SdpGrammar.Format(Value)}";
}
