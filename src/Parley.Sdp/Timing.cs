using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// A timing line (RFC 8866 §5.9): <c>t=&lt;start-time&gt; &lt;stop-time&gt;</c> in NTP seconds. WebRTC sessions are
/// unbounded: <c>t=0 0</c> (<see cref="Unbounded"/>).
/// </summary>
public sealed record Timing(ulong Start, ulong Stop)
{
    public static readonly Timing Unbounded = new(0, 0);

    public static bool TryParse(string value, [NotNullWhen(true)] out Timing? timing)
    {
        timing = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] f) || f.Length != 2
            || !SdpGrammar.TryParseUInt64(f[0], out ulong start) || !SdpGrammar.TryParseUInt64(f[1], out ulong stop))
        {
            return false;
        }

        timing = new Timing(start, stop);
        return true;
    }

    /// <summary>The text after <c>t=</c>.</summary>
    public override string ToString() => $"{SdpGrammar.Format(Start)} {SdpGrammar.Format(Stop)}";
}
