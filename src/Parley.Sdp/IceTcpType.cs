namespace Parley.Sdp;

/// <summary>The <c>tcptype</c> extension of a TCP candidate (RFC 6544 §4.5): active, passive or so (simultaneous-open).</summary>
public enum IceTcpType : byte
{
    Active,
    Passive,
    SimultaneousOpen,
}

public static class IceTcpTypeExtensions
{
    public static string ToSdpString(this IceTcpType type) => type switch
    {
        IceTcpType.Active => "active",
        IceTcpType.Passive => "passive",
        IceTcpType.SimultaneousOpen => "so",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParseIceTcpType(string? text, out IceTcpType type)
    {
        (bool known, type) = text switch
        {
            "active" => (true, IceTcpType.Active),
            "passive" => (true, IceTcpType.Passive),
            "so" => (true, IceTcpType.SimultaneousOpen),
            _ => (false, IceTcpType.Active),
        };
        return known;
    }
}
