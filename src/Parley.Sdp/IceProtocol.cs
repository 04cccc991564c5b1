namespace Parley.Sdp;

/// <summary>The transports of a candidate: UDP (RFC 8839 §5.1) and TCP (RFC 6544 §4.5). Written case-insensitively.</summary>
public enum IceProtocol : byte
{
    Udp,
    Tcp,
}
