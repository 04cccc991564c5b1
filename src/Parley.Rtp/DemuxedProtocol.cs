namespace Parley.Rtp;

/// <summary>What a datagram on a multiplexed WebRTC port carries, by its first byte (RFC 7983 §7).</summary>
public enum DemuxedProtocol : byte
{
    Unknown = 0,

    /// <summary>First byte 0-3.</summary>
    Stun = 1,

    /// <summary>First byte 16-19.</summary>
    Zrtp = 2,

    /// <summary>First byte 20-63.</summary>
    Dtls = 3,

    /// <summary>First byte 64-79.</summary>
    TurnChannel = 4,

    /// <summary>First byte 128-191 and a second byte outside 192-223.</summary>
    Rtp = 5,

    /// <summary>First byte 128-191 and a second byte of 192-223 (RFC 5761 §4).</summary>
    Rtcp = 6,
}
