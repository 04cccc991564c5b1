using System.Text;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// A goodbye packet, BYE (RFC 3550 §6.6): up to 31 sources leaving, and optionally why, as UTF-8 text of up to 255
/// bytes padded to a word boundary. A view over the bytes it was read from, or parts given for writing.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |   PT=BYE=203  |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           SSRC/CSRC                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :                              ...                              :
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |     length    |               reason for leaving            ... (opt)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// An empty reason is written as none.
/// </summary>
public readonly ref struct Goodbye : IWireEncodable
{
    public const int MaxReasonLength = 255;

    public Goodbye(SsrcList sources, ReadOnlySpan<byte> reason = default)
    {
        Sources = sources;
        Reason = reason;
    }

    public SsrcList Sources { get; init; }

    /// <summary>The reason in UTF-8; empty when none was given.</summary>
    public ReadOnlySpan<byte> Reason { get; init; }

    /// <summary>The reason decoded (which allocates); empty when none was given.</summary>
    public string ReasonText => Encoding.UTF8.GetString(Reason);

    public static bool TryRead(ReadOnlySpan<byte> data, out Goodbye goodbye)
    {
        goodbye = default;
        if (!RtcpPacket.TryRead(data, RtcpPacketType.Goodbye, out RtcpHeader header, out ReadOnlySpan<byte> payload))
        {
            return false;
        }

        int sourcesLength = header.Count * 4;
        if (payload.Length < sourcesLength)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = payload[sourcesLength..];
        ReadOnlySpan<byte> reason = default;
        if (!rest.IsEmpty)
        {
            int reasonEnd = 1 + rest[0];
            if (reasonEnd > rest.Length || rest.Length - reasonEnd >= 4)
            {
                return false; // a reason past the end, or more than its padding after it
            }

            reason = rest[1..reasonEnd];
        }

        goodbye = new Goodbye(SsrcList.FromWire(payload[..sourcesLength]), reason);
        return true;
    }

    public int GetEncodedLength() =>
        RtcpHeader.EncodedLength + Sources.EncodedLength + (Reason.IsEmpty ? 0 : (1 + Reason.Length + 3) & ~3);

    /// <summary>False when there are more than 31 sources, the reason is longer than 255 bytes, or the destination
    /// is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (Sources.Count > RtcpHeader.MaxCount || Reason.Length > MaxReasonLength || !RtcpWriter.CanWrite(length, destination))
        {
            return false;
        }

        RtcpWriter.WriteHeader(destination, RtcpPacketType.Goodbye, Sources.Count, length);
        Sources.WriteTo(destination[RtcpHeader.EncodedLength..]);
        if (!Reason.IsEmpty)
        {
            int offset = RtcpHeader.EncodedLength + Sources.EncodedLength;
            destination[offset] = (byte)Reason.Length;
            Reason.CopyTo(destination[(offset + 1)..]);
            destination[(offset + 1 + Reason.Length)..length].Clear();
        }

        written = length;
        return true;
    }
}
