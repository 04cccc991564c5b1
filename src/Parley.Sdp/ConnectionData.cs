using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// Connection data (RFC 8866 §5.7): <c>c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt;</c>. In WebRTC the
/// address means little (ICE decides), and JSEP writes <c>c=IN IP4 0.0.0.0</c> until a candidate is chosen.
/// </summary>
public sealed record ConnectionData
{
    /// <summary><c>IN IP4 0.0.0.0</c>: what JSEP writes before ICE has picked an address (RFC 8829 §5.2.1).</summary>
    public static readonly ConnectionData Unspecified = new("IN", "IP4", "0.0.0.0");

    public ConnectionData(string networkType, string addressType, string address)
    {
        NetworkType = SdpGrammar.RequireToken(networkType, nameof(networkType));
        AddressType = SdpGrammar.RequireToken(addressType, nameof(addressType));
        Address = SdpGrammar.RequireNonWhitespace(address, nameof(address));
    }

    public string NetworkType { get; }

    public string AddressType { get; }

    /// <summary>The connection address as written, with any /ttl or /number of addresses suffix.</summary>
    public string Address { get; }

    public static bool TryParse(string value, [NotNullWhen(true)] out ConnectionData? connection)
    {
        connection = null;
        if (!SdpGrammar.TrySplitFields(value, out string[] f) || f.Length != 3
            || !SdpGrammar.IsToken(f[0]) || !SdpGrammar.IsToken(f[1]) || !SdpGrammar.IsNonWhitespace(f[2]))
        {
            return false;
        }

        connection = new ConnectionData(f[0], f[1], f[2]);
        return true;
    }

    /// <summary>The text after <c>c=</c>.</summary>
    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
