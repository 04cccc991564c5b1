namespace Parley.Sdp;

/// <summary>
/// The static payload types of the RTP/AVP profile (RFC 3551 §6, Tables 4 and 5), which an m= line may list without an
/// rtpmap. JSEP endpoints write rtpmap lines for them anyway (RFC 8829 §5.2.1).
/// </summary>
internal static class StaticPayloadTypes
{
    public static Rtpmap? Find(int payloadType) => payloadType switch
    {
        0 => new Rtpmap(0, "PCMU", 8000, 1),
        3 => new Rtpmap(3, "GSM", 8000, 1),
        4 => new Rtpmap(4, "G723", 8000, 1),
        5 => new Rtpmap(5, "DVI4", 8000, 1),
        6 => new Rtpmap(6, "DVI4", 16000, 1),
        7 => new Rtpmap(7, "LPC", 8000, 1),
        8 => new Rtpmap(8, "PCMA", 8000, 1),
        9 => new Rtpmap(9, "G722", 8000, 1),
        10 => new Rtpmap(10, "L16", 44100, 2),
        11 => new Rtpmap(11, "L16", 44100, 1),
        12 => new Rtpmap(12, "QCELP", 8000, 1),
        13 => new Rtpmap(13, "CN", 8000, 1),
        14 => new Rtpmap(14, "MPA", 90000),
        15 => new Rtpmap(15, "G728", 8000, 1),
        16 => new Rtpmap(16, "DVI4", 11025, 1),
        17 => new Rtpmap(17, "DVI4", 22050, 1),
        18 => new Rtpmap(18, "G729", 8000, 1),
        25 => new Rtpmap(25, "CelB", 90000),
        26 => new Rtpmap(26, "JPEG", 90000),
        28 => new Rtpmap(28, "nv", 90000),
        31 => new Rtpmap(31, "H261", 90000),
        32 => new Rtpmap(32, "MPV", 90000),
        33 => new Rtpmap(33, "MP2T", 90000),
        34 => new Rtpmap(34, "H263", 90000),
        _ => null,
    };
}
