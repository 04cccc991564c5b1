using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// The origin line (RFC 8866 §5.2):
/// <c>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt;</c>.
/// JSEP (RFC 8829 §5.2.1) uses "-" as username, a random 62-bit session id, a version raised on every new
/// description, and <c>IN IP4 0.0.0.0</c> or the like; browsers write <c>127.0.0.1</c>.
/// </summary>
public sealed record Origin
{
    public Origin(string username, ulong sessionId, ulong sessionVersion, string networkType = "IN", string addressType = "IP4",
        string unicastAddress = "0.0.0.0")
    {
        Username = SdpGrammar.RequireNonWhitespace(username, nameof(username));
        SessionId = sessionId;
        SessionVersion = sessionVersion;
        NetworkType = SdpGrammar.RequireToken(networkType, nameof(networkType));
        AddressType = SdpGrammar.RequireToken(addressType, nameof(addressType));
        UnicastAddress = SdpGrammar.RequireNonWhitespace(unicastAddress, nameof(unicastAddress));
    }

    public string Username { get; }

    public ulong SessionId { get; }

    public ulong SessionVersion { get; }

    public string NetworkType { get; }

    public string AddressType { get; }

    public string UnicastAddress { get; }

    /// <summary>The same origin with the version raised by one, for the next description of the session.</summary>
    public Origin NextVersion() => new(Username, SessionId, SessionVersion + 1, NetworkType, AddressType, UnicastAddress);

    public static bool TryParse(string value, [NotNullWhen(true)] out Origin? origin)
    {
        origin = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] f) || f.Length != 6
            || !SdpGrammar.IsNonWhitespace(f[0])
            || !SdpGrammar.TryParseUInt64(f[1], out ulong id)
            || !SdpGrammar.TryParseUInt64(f[2], out ulong version)
            || !SdpGrammar.IsToken(f[3]) || !SdpGrammar.IsToken(f[4]) || !SdpGrammar.IsNonWhitespace(f[5]))
        {
            return false;
        }

        origin = new Origin(f[0], id, version, f[3], f[4], f[5]);
        return true;
    }

    /// <summary>The text after <c>o=</c>.</summary>
    public override string ToString() =>
        $"{Username} {SdpGrammar.Format(SessionId)} {SdpGrammar.Format(SessionVersion)} {NetworkType} {AddressType} {UnicastAddress}";
}
