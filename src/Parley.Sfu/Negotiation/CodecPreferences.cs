using Parley.Sdp;

namespace Parley.Sfu.Negotiation;

/// <summary>
/// Which codec the server takes from an offer: Opus for audio; for video the session's forced codec when it has
/// one (OpenVidu's <c>forcedVideoCodec</c>), else VP8, then H.264 constrained baseline with packetization mode 1
/// (profile-level-id 42e01f, what every browser decodes), then VP9. No transcoding: subscribers get what was sent.
/// </summary>
public sealed class CodecPreferences
{
    /// <summary>The default: any of VP8, H.264, VP9, in that order.</summary>
    public static readonly CodecPreferences Default = new(null);

    private readonly string? _forcedVideoCodec;

    /// <param name="forcedVideoCodec"><c>VP8</c>, <c>VP9</c> or <c>H264</c>; null or <c>MEDIA_SERVER_PREFERRED</c>/<c>NONE</c> for the default.</param>
    public CodecPreferences(string? forcedVideoCodec) =>
        _forcedVideoCodec = forcedVideoCodec is "VP8" or "VP9" or "H264" ? forcedVideoCodec : null;

    /// <summary>The codec to accept from an offer's media section, or null when there is none the server forwards.</summary>
    public Codec? Choose(MediaDescription offer, MediaKind kind)
    {
        IReadOnlyList<Codec> offered = offer.Codecs;
        if (kind == MediaKind.Audio)
        {
            return offered.FirstOrDefault(c => c.Is(CodecName.Opus) && c.ClockRate == 48000);
        }

        string[] order = _forcedVideoCodec is { } forced ? [forced] : [CodecName.Vp8, CodecName.H264, CodecName.Vp9];
        foreach (string name in order)
        {
            Codec? match = name == CodecName.H264
                ? offered.FirstOrDefault(IsBaselineH264) ?? offered.FirstOrDefault(c => c.Is(CodecName.H264) && c.HasParameter("packetization-mode", "1"))
                : offered.FirstOrDefault(c => c.Is(name) && (name != CodecName.Vp9 || !c.TryGetParameter("profile-id", out string? p) || p == "0"));
            if (match is not null)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>Whether the forced codec (if any) explains a refusal.</summary>
    public bool IsForced => _forcedVideoCodec is not null;

    private static bool IsBaselineH264(Codec c) =>
        c.Is(CodecName.H264) && c.HasParameter("packetization-mode", "1")
        && c.TryGetParameter("profile-level-id", out string? profile) && profile.StartsWith("42e0", StringComparison.OrdinalIgnoreCase);
}
