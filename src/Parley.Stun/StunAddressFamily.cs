using System.Net.Sockets;

namespace Parley.Stun;

/// <summary>
/// Address family values as STUN and TURN carry them: in the address attributes (RFC 8489 §14.1), and in
/// REQUESTED-ADDRESS-FAMILY, ADDITIONAL-ADDRESS-FAMILY and ADDRESS-ERROR-CODE (RFC 8656 §18.6, §18.11, §18.12).
/// Other values can arrive on the wire and are kept as they are: a TURN server answers them with 440 (Address
/// Family not Supported) rather than treating the request as malformed.
/// </summary>
public enum StunAddressFamily : byte
{
    IPv4 = 0x01,
    IPv6 = 0x02,
}

public static class StunAddressFamilyExtensions
{
    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>;
    /// <see cref="AddressFamily.Unknown"/> for values neither RFC defines.</summary>
    public static AddressFamily ToAddressFamily(this StunAddressFamily family) => family switch
    {
        StunAddressFamily.IPv4 => AddressFamily.InterNetwork,
        StunAddressFamily.IPv6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unknown,
    };

    /// <summary>The STUN family of an IPv4 or IPv6 transport address.</summary>
    public static StunAddressFamily GetStunFamily(this in TransportAddress address) =>
        address.IsIPv4 ? StunAddressFamily.IPv4 : StunAddressFamily.IPv6;
}
