namespace Parley.Rtp.Rtcp;

/// <summary>
/// A picture loss indication, PLI (RFC 4585 §6.3.1): payload-specific feedback (PT=206, FMT=1) asking the sender of
/// the media source for a key frame. It has no FCI.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |    PT=206     |          length=2             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct PictureLossIndication(uint SenderSsrc, uint MediaSsrc) : IWireEncodable
{
    public const int EncodedLength = RtcpFeedback.CommonLength;

    public static bool TryRead(ReadOnlySpan<byte> data, out PictureLossIndication pli)
    {
        bool ok = RtcpFeedback.TryRead(data, RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.PictureLossIndication,
            out uint sender, out uint media, out ReadOnlySpan<byte> fci) && fci.IsEmpty;
        pli = ok ? new PictureLossIndication(sender, media) : default;
        return ok;
    }

    public int GetEncodedLength() => EncodedLength;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < EncodedLength)
        {
            return false;
        }

        RtcpFeedback.WriteCommon(destination, RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.PictureLossIndication,
            EncodedLength, SenderSsrc, MediaSsrc);
        written = EncodedLength;
        return true;
    }
}
