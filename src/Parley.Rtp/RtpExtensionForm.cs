namespace Parley.Rtp;

/// <summary>How the elements of an RTP header extension block are framed (RFC 8285 §4).</summary>
public enum RtpExtensionForm : byte
{
    /// <summary>A profile other than RFC 8285's: the block is opaque bytes.</summary>
    Other = 0,

    /// <summary>Profile 0xBEDE (§4.2): 4-bit ids 1-14, values of 1-16 bytes.</summary>
    OneByte = 1,

    /// <summary>Profile 0x100 plus 4 application bits (§4.3): 8-bit ids 1-255, values of 0-255 bytes.</summary>
    TwoByte = 2,
}
