namespace Parley.Sdp.Tests;

/// <summary>Everything the typed API reads from a description, as a list of comparable values: two descriptions with
/// equal lists are the same model.</summary>
internal static class SdpModel
{
    public static List<object?> Read(SessionDescription description)
    {
        List<object?> values =
        [
            description.Origin, description.SessionName, description.Timing, description.Connection, description.MsidSemantic,
            description.IceLite, description.ExtmapAllowMixed, description.IceUfrag, description.IcePwd, description.Setup,
            description.Direction, description.BundleGroup, .. description.Lines, .. description.Bandwidths, .. description.Groups,
            .. description.Fingerprints, .. description.Extmaps, .. description.IceOptions, .. description.Attributes,
        ];
        foreach (MediaDescription media in description.Media)
        {
            values.AddRange(
            [
                media.Media, media.Port, media.PortCount, media.Protocol, media.IsRtp, media.IsRejected, media.Mid, media.Direction,
                media.Connection, media.Rtcp, media.RtcpMux, media.RtcpRsize, media.EndOfCandidates, media.SctpPort, media.MaxMessageSize,
                media.Simulcast, media.IceUfrag, media.IcePwd, media.Setup, media.ExtmapAllowMixed, media.FormatMediaLine(),
                .. media.Formats, .. media.Lines, .. media.Attributes, .. media.Codecs, .. media.Candidates, .. media.Rids, .. media.Ssrcs,
                .. media.SsrcGroups, .. media.Msids, .. media.Extmaps, .. media.Fingerprints, .. media.Rtpmaps, .. media.Fmtps,
                .. media.RtcpFeedbacks, .. media.Bandwidths, .. media.IceOptions,
            ]);
            TransportParameters transport = description.GetTransportParameters(media);
            values.AddRange([transport.IceUfrag, transport.IcePwd, transport.IceLite, transport.Setup, .. transport.IceOptions, .. transport.Fingerprints]);
        }

        return values;
    }
}
