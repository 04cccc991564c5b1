namespace Parley.Sdp;

/// <summary>
/// The ICE and DTLS parameters in force for one media section: its own attributes where it has them, else the session's
/// (Firefox, for one, writes the fingerprint at session level). RFC 8839 §5.4 and RFC 8122 §5 allow both levels.
/// </summary>
public sealed record TransportParameters(
    string? IceUfrag,
    string? IcePwd,
    IReadOnlyList<string> IceOptions,
    bool IceLite,
    IReadOnlyList<Fingerprint> Fingerprints,
    DtlsSetup? Setup);
