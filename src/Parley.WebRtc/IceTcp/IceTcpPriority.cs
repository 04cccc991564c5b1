namespace Parley.WebRtc.IceTcp;

/// <summary>
/// The priority of the passive TCP host candidate (RFC 8445 §5.1.2.1 with RFC 6544 §4.2):
/// <c>2^24 * type preference + 2^8 * local preference + (256 - component)</c>. The type preference, 80, is below
/// every direct UDP type (host 126, peer-reflexive 110, server-reflexive 100), so a peer prefers any UDP path it
/// can reach directly, and above relayed (0), so a direct TCP path beats a TURN relay. The local preference is
/// RFC 6544's <c>2^13 * direction preference + other preference</c> with the recommended direction preference of a
/// passive host candidate, 4, and the highest other preference (one interface).
/// </summary>
internal static class IceTcpPriority
{
    private const uint TypePreference = 80;
    private const uint DirectionPreference = 4;
    private const uint OtherPreference = 8191;
    private const uint Component = 1;

    public const uint LocalPreference = (DirectionPreference << 13) + OtherPreference;

    public const uint PassiveHost = (TypePreference << 24) + (LocalPreference << 8) + (256 - Component);
}
