namespace Parley.Sdp;

/// <summary>The candidate types of ICE (RFC 8445 §5.1.1; written <c>typ host</c> etc., RFC 8839 §5.1).</summary>
public enum IceCandidateType : byte
{
    /// <summary><c>host</c>: an address on a local interface.</summary>
    Host,

    /// <summary><c>srflx</c>: the address a STUN server saw.</summary>
    ServerReflexive,

    /// <summary><c>prflx</c>: an address learnt from a peer's connectivity check.</summary>
    PeerReflexive,

    /// <summary><c>relay</c>: an address allocated on a TURN server.</summary>
    Relayed,
}

public static class IceCandidateTypeExtensions
{
    public static string ToSdpString(this IceCandidateType type) => type switch
    {
        IceCandidateType.Host => "host",
        IceCandidateType.ServerReflexive => "srflx",
        IceCandidateType.PeerReflexive => "prflx",
        IceCandidateType.Relayed => "relay",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The recommended type preference of RFC 8445 §5.1.2.2: 126, 110, 100, 0.</summary>
    public static int TypePreference(this IceCandidateType type) => type switch
    {
        IceCandidateType.Host => 126,
        IceCandidateType.PeerReflexive => 110,
        IceCandidateType.ServerReflexive => 100,
        _ => 0,
    };

    public static bool TryParseIceCandidateType(string text, out IceCandidateType type)
    {
        (bool known, type) = text switch
        {
            "host" => (true, IceCandidateType.Host),
            "srflx" => (true, IceCandidateType.ServerReflexive),
            "prflx" => (true, IceCandidateType.PeerReflexive),
            "relay" => (true, IceCandidateType.Relayed),
            _ => (false, IceCandidateType.Host),
        };
        return known;
    }
}
