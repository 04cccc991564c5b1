namespace Parley.Sdp;

/// <summary>The encoding names (media subtypes, compared ignoring case) an SFU deals with.</summary>
public static class CodecName
{
    public const string Opus = "opus";
    public const string Vp8 = "VP8";
    public const string Vp9 = "VP9";
    public const string H264 = "H264";
    public const string Av1 = "AV1";

    /// <summary>Retransmission (RFC 4588), tied to its codec by the <c>apt</c> parameter.</summary>
    public const string Rtx = "rtx";

    /// <summary>Redundant audio or video (RFC 2198).</summary>
    public const string Red = "red";

    public const string Ulpfec = "ulpfec";
    public const string TelephoneEvent = "telephone-event";

    /// <summary>The RTX parameter naming the associated payload type (RFC 4588 §8.6).</summary>
    public const string AptParameter = "apt";
}
