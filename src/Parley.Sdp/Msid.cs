using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// <c>a=msid:&lt;stream id&gt; [&lt;track id&gt;]</c> (RFC 8830 §2): the MediaStream a media section's track belongs to
/// (<c>-</c> for none) and, as application data, the track's id.
/// </summary>
public sealed record Msid : ISdpAttribute<Msid>
{
    /// <summary>The stream id meaning "no stream" (RFC 8829 §5.2.1).</summary>
    public const string NoStream = "-";

    public Msid(string streamId, string? trackId = null)
    {
        StreamId = SdpGrammar.RequireToken(streamId, nameof(streamId));
        TrackId = trackId is null ? null : SdpGrammar.RequireToken(trackId, nameof(trackId));
    }

    public static string AttributeName => "msid";

    public string StreamId { get; }

    public string? TrackId { get; }

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Msid? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] fields) || fields.Length > 2 || !fields.All(f => SdpGrammar.IsToken(f)))
        {
            return false;
        }

        attribute = new Msid(fields[0], fields.Length == 2 ? fields[1] : null);
        return true;
    }

    public string FormatValue() => TrackId is null ? StreamId : $"{StreamId} {TrackId}";

    public override string ToString() => FormatValue();
}
