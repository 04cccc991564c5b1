using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn;

/// <summary>
/// Which peers a relay may talk to. Addresses that are not globally reachable (loopback, RFC 1918, CGNAT,
/// link-local, unique-local, multicast, unspecified, reserved, benchmarking) and the server's own addresses are
/// refused, so that a TURN client cannot reach the server's host or its private network through the relay (the class
/// of coturn's CVE-2020-26262). IPv6 forms that carry an IPv4 address (mapped <c>::ffff:a.b.c.d</c>, compatible
/// <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>) are judged by that IPv4 address. Ranges
/// named in the allow-list are exempt, and so are the exact endpoints of Parley's own media server, so a relayed
/// browser reaches the SFU even when the server's address is private.
/// </summary>
public sealed class PeerAddressPolicy
{
    private static readonly AddressRange[] NotGloballyReachable =
    [
        AddressRange.Parse("0.0.0.0/8"),
        AddressRange.Parse("10.0.0.0/8"),
        AddressRange.Parse("100.64.0.0/10"),
        AddressRange.Parse("127.0.0.0/8"),
        AddressRange.Parse("169.254.0.0/16"),
        AddressRange.Parse("172.16.0.0/12"),
        AddressRange.Parse("192.0.0.0/24"),
        AddressRange.Parse("192.168.0.0/16"),
        AddressRange.Parse("198.18.0.0/15"),
        AddressRange.Parse("224.0.0.0/4"),
        AddressRange.Parse("240.0.0.0/4"),
        AddressRange.Parse("::/128"),
        AddressRange.Parse("::1/128"),
        AddressRange.Parse("100::/64"),
        AddressRange.Parse("fc00::/7"),
        AddressRange.Parse("fe80::/10"),
        AddressRange.Parse("fec0::/10"),
        AddressRange.Parse("ff00::/8"),
    ];

    private static readonly AddressRange Ipv4Mapped = AddressRange.Parse("::ffff:0:0/96");
    private static readonly AddressRange Ipv4Compatible = AddressRange.Parse("::/96");
    private static readonly AddressRange Nat64 = AddressRange.Parse("64:ff9b::/96");
    private static readonly AddressRange SixToFour = AddressRange.Parse("2002::/16");

    private readonly AddressRange[] _allowed;
    private readonly AddressRange[] _denied;
    private readonly TransportAddress[] _ownAddresses;
    private volatile TransportAddress[] _exemptEndpoints = [];

    /// <param name="allowedRanges">Ranges exempt from every refusal but the explicitly denied ones.</param>
    /// <param name="deniedRanges">Ranges refused on top of the built-in list.</param>
    /// <param name="ownAddresses">The server's own addresses (listening, relay, external); refused.</param>
    public PeerAddressPolicy(IEnumerable<AddressRange> allowedRanges, IEnumerable<AddressRange> deniedRanges,
        IEnumerable<TransportAddress> ownAddresses)
    {
        _allowed = [.. allowedRanges];
        _denied = [.. deniedRanges];
        _ownAddresses = [.. ownAddresses.Select(a => Normalize(a).WithPort(0))];
    }

    /// <summary>Endpoints always allowed (Parley's own media server); replaced whole.</summary>
    public void SetExemptEndpoints(IEnumerable<TransportAddress> endpoints) =>
        _exemptEndpoints = [.. endpoints.Select(e => Normalize(e))];

    /// <summary>Whether the relay may exchange datagrams with this exact peer endpoint.</summary>
    public bool IsAllowed(in TransportAddress peer)
    {
        TransportAddress address = Normalize(peer);
        foreach (TransportAddress exempt in _exemptEndpoints)
        {
            if (exempt == address)
            {
                return true;
            }
        }

        return IsAddressAllowed(address);
    }

    /// <summary>Whether a permission for this peer IP may be installed: the address is allowed, or one of the
    /// exempt endpoints has it (each packet is then checked with <see cref="IsAllowed"/>).</summary>
    public bool IsPermissionAllowed(in TransportAddress peer)
    {
        TransportAddress address = Normalize(peer).WithPort(0);
        foreach (TransportAddress exempt in _exemptEndpoints)
        {
            if (exempt.WithPort(0) == address)
            {
                return true;
            }
        }

        return IsAddressAllowed(address);
    }

    /// <summary>Whether every port of this address is allowed (no per-packet check is needed then).</summary>
    public bool IsAddressAllowed(in TransportAddress peer)
    {
        TransportAddress address = Normalize(peer);
        foreach (AddressRange range in _denied)
        {
            if (range.Contains(address))
            {
                return false;
            }
        }

        foreach (AddressRange range in _allowed)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }

        foreach (AddressRange range in NotGloballyReachable)
        {
            if (range.Contains(address))
            {
                return false;
            }
        }

        foreach (TransportAddress own in _ownAddresses)
        {
            if (own == address.WithPort(0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Rewrites an IPv6 address that carries an IPv4 address as that IPv4 address; others are returned
    /// as they are.</summary>
    public static TransportAddress Normalize(in TransportAddress address)
    {
        if (address.Family != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (Ipv4Mapped.Contains(address) || Nat64.Contains(address)
            || (Ipv4Compatible.Contains(address) && address.Address > 1))
        {
            return new TransportAddress(AddressFamily.InterNetwork, address.Address & uint.MaxValue, address.Port);
        }

        if (SixToFour.Contains(address))
        {
            return new TransportAddress(AddressFamily.InterNetwork, (address.Address >> 80) & uint.MaxValue, address.Port);
        }

        return address;
    }
}
