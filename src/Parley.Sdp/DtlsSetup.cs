namespace Parley.Sdp;

/// <summary>
/// The DTLS role attribute <c>a=setup</c> (RFC 4145 §4, for DTLS RFC 8842 §5): an offer says <c>actpass</c>, and the
/// answer picks <c>active</c> (DTLS client) or <c>passive</c> (DTLS server). <c>holdconn</c> holds the connection.
/// </summary>
public enum DtlsSetup : byte
{
    ActPass,
    Active,
    Passive,
    HoldConn,
}

public static class DtlsSetupExtensions
{
    public const string AttributeName = "setup";

    public static string ToSdpString(this DtlsSetup setup) => setup switch
    {
        DtlsSetup.ActPass => "actpass",
        DtlsSetup.Active => "active",
        DtlsSetup.Passive => "passive",
        DtlsSetup.HoldConn => "holdconn",
        _ => throw new ArgumentOutOfRangeException(nameof(setup), setup, null),
    };

    public static bool TryParseDtlsSetup(string? text, out DtlsSetup setup)
    {
        (bool known, setup) = text switch
        {
            "actpass" => (true, DtlsSetup.ActPass),
            "active" => (true, DtlsSetup.Active),
            "passive" => (true, DtlsSetup.Passive),
            "holdconn" => (true, DtlsSetup.HoldConn),
            _ => (false, DtlsSetup.ActPass),
        };
        return known;
    }
}
