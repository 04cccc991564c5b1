using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn;

/// <summary>A CIDR block (<c>10.0.0.0/8</c>, <c>fe80::/10</c>) tested against addresses held by value.</summary>
public readonly record struct AddressRange(AddressFamily Family, UInt128 Prefix, int Bits)
{
    public static AddressRange Parse(string text)
    {
        if (!TryParse(text, out AddressRange range))
        {
            throw new FormatException($"'{text}' is not an address range such as 10.0.0.0/8 or fe80::/10.");
        }

        return range;
    }

    /// <summary>Reads <c>address/bits</c>, or a lone address as a range of one.</summary>
    public static bool TryParse(string text, out AddressRange range)
    {
        range = default;
        string[] parts = text.Trim().Split('/');
        if (parts.Length > 2 || !IPAddress.TryParse(parts[0], out IPAddress? address)
            || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        var parsed = TransportAddress.FromIPAddress(address, 0);
        int width = parsed.IsIPv4 ? 32 : 128;
        int bits = width;
        if (parts.Length == 2
            && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > width))
        {
            return false;
        }

        range = new AddressRange(parsed.Family, parsed.Address & Mask(width, bits), bits);
        return true;
    }

    public bool Contains(in TransportAddress address) =>
        address.Family == Family && (address.Address & Mask(Family == AddressFamily.InterNetwork ? 32 : 128, Bits)) == Prefix;

    private static UInt128 Mask(int width, int bits)
    {
        if (bits == 0)
        {
            return UInt128.Zero;
        }

        UInt128 all = width == 32 ? uint.MaxValue : UInt128.MaxValue;
        return all & ~((UInt128.One << (width - bits)) - 1) ;
    }

    public override string ToString() =>
        $"{new TransportAddress(Family, Prefix, 0).ToIPAddress()}/{Bits.ToString(CultureInfo.InvariantCulture)}";
}
