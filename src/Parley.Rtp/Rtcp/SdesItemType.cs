namespace Parley.Rtp.Rtcp;

/// <summary>SDES item types (IANA "RTP SDES Item Types").</summary>
public enum SdesItemType : byte
{
    /// <summary>The null item that ends a chunk's list.</summary>
    End = 0,

    /// <summary>RFC 3550 §6.5.1: the canonical end-point identifier.</summary>
    Cname = 1,

    Name = 2,
    Email = 3,
    Phone = 4,
    Location = 5,
    Tool = 6,
    Note = 7,
    Private = 8,

    /// <summary>RFC 8852 §4.1.</summary>
    RtpStreamId = 12,

    /// <summary>RFC 8852 §4.2.</summary>
    RepairedRtpStreamId = 13,

    /// <summary>RFC 8843 §15.1.</summary>
    Mid = 15,
}
