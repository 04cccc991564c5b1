namespace Parley.Rtp.Rtcp;

/// <summary>
/// A full intra request, FIR (RFC 5104 §4.3.1): payload-specific feedback (PT=206, FMT=4) asking one or more
/// sources, one <see cref="FirEntry"/> each, for a decoder refresh point. The media source SSRC is unused and
/// written as zero by convention (§4.3.1.2).
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=4  |    PT=206     |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  FCI entries (8 bytes each)                   |
/// </code>
/// </summary>
public readonly ref struct FullIntraRequest : IWireEncodable
{
    public FullIntraRequest(uint senderSsrc, RtcpItemList<FirEntry> entries)
    {
        SenderSsrc = senderSsrc;
        Entries = entries;
    }

    public uint SenderSsrc { get; init; }

    public uint MediaSsrc { get; init; }

    public RtcpItemList<FirEntry> Entries { get; init; }

    public static bool TryRead(ReadOnlySpan<byte> data, out FullIntraRequest fir)
    {
        fir = default;
        if (!RtcpFeedback.TryRead(data, RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.FullIntraRequest,
                out uint sender, out uint media, out ReadOnlySpan<byte> fci)
            || fci.IsEmpty || fci.Length % FirEntry.EncodedLength != 0)
        {
            return false;
        }

        fir = new FullIntraRequest(sender, RtcpItemList<FirEntry>.FromWire(fci)) { MediaSsrc = media };
        return true;
    }

    public int GetEncodedLength() => RtcpFeedback.CommonLength + Entries.EncodedLength;

    /// <summary>False when there is no entry or the destination is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (Entries.IsEmpty || !RtcpWriter.CanWrite(length, destination))
        {
            return false;
        }

        Span<byte> fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.PayloadFeedback,
            (byte)PayloadFeedbackFormat.FullIntraRequest, length, SenderSsrc, MediaSsrc);
        Entries.TryWriteTo(fci);
        written = length;
        return true;
    }
}
