namespace Parley.Sdp;

/// <summary>
/// What a known attribute's value must look like. The parser refuses a description with a malformed known attribute
/// (an rtpmap without a clock rate, a fingerprint with bad hex...), and the raw mutators refuse to write one; unknown
/// attributes are kept as they are.
/// </summary>
internal static class AttributeRules
{
    public static bool IsValid(string name, string? value) => name switch
    {
        "group" => Parses<Group>(value),
        "msid-semantic" => Parses<MsidSemantic>(value),
        "fingerprint" => Parses<Fingerprint>(value),
        "extmap" => Parses<Extmap>(value),
        "rtpmap" => Parses<Rtpmap>(value),
        "fmtp" => Parses<Fmtp>(value),
        "rtcp-fb" => Parses<RtcpFeedback>(value),
        "ssrc" => Parses<Ssrc>(value),
        "ssrc-group" => Parses<SsrcGroup>(value),
        "msid" => Parses<Msid>(value),
        "rid" => Parses<Rid>(value),
        "simulcast" => Parses<Simulcast>(value),
        "candidate" => Parses<IceCandidate>(value),
        "rtcp" => Parses<RtcpAddress>(value),
        DtlsSetupExtensions.AttributeName => DtlsSetupExtensions.TryParseDtlsSetup(value, out _),
        SdpSection.MidName => value is not null && SdpGrammar.IsToken(value),
        SdpSection.IceUfragName or SdpSection.IcePwdName => value is not null && SdpGrammar.IsIceChars(value),
        SdpSection.IceOptionsName => value is not null && SdpGrammar.TrySplitFields(value, out string[] tags)
            && tags.All(t => SdpGrammar.IsToken(t)),
        MediaDescription.SctpPortName => value is not null && SdpGrammar.TryParsePort(value, out _),
        MediaDescription.MaxMessageSizeName => value is not null && SdpGrammar.TryParseUInt64(value, out _),
        _ => true,
    };

    private static bool Parses<T>(string? value)
        where T : class, ISdpAttribute<T> => value is not null && T.TryParseValue(value, out _);
}
