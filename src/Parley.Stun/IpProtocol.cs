namespace Parley.Stun;

/// <summary>
/// IANA protocol numbers ("Assigned Internet Protocol Numbers"), as REQUESTED-TRANSPORT carries them
/// (RFC 8656 §18.8: UDP for a UDP relay; RFC 6062 §5.1: TCP for a TCP relay). Other values can arrive on the wire
/// and are kept: a TURN server answers them with 442 (Unsupported Transport Protocol).
/// </summary>
public enum IpProtocol : byte
{
    Tcp = 6,
    Udp = 17,
}
