using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// An RTP packet (RFC 3550 §5.1): read as a view over the bytes it was parsed from, which it does not copy, or
/// put together from parts and written with <see cref="TryWrite"/>.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    header extension (if X), payload, padding (if P)           |
/// </code>
/// Padding is carried as its length: written, it is zeros followed by the count (RFC 3550 §5.1).
/// </summary>
public readonly ref struct RtpPacket : IWireEncodable
{
    public const int FixedHeaderLength = 12;
    public const int Version = 2;
    public const int MaxCsrcCount = 15;

    public RtpPacket(RtpHeader header, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Payload = payload;
    }

    public RtpHeader Header { get; init; }

    public SsrcList Csrcs { get; init; }

    /// <summary>The header extension block; <c>default</c> (not present) when the X bit is clear.</summary>
    public RtpHeaderExtension Extension { get; init; }

    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Bytes of padding after the payload, the count byte included; zero for none.</summary>
    public byte PaddingLength { get; init; }

    public bool Marker => Header.Marker;

    public byte PayloadType => Header.PayloadType;

    public ushort SequenceNumber => Header.SequenceNumber;

    public uint Timestamp => Header.Timestamp;

    public uint Ssrc => Header.Ssrc;

    public bool HasExtension => Extension.IsPresent;

    /// <summary>The fixed header, the CSRCs and the extension block: where the payload starts.</summary>
    public int HeaderLength =>
        FixedHeaderLength + Csrcs.EncodedLength + (Extension.IsPresent ? Extension.GetEncodedLength() : 0);

    /// <summary>
    /// Parses one whole packet. False for anything malformed: shorter than 12 bytes, a version other than 2, a CSRC
    /// list or extension block that runs past the end, or a padding count of zero or longer than what follows the
    /// header. The elements of the extension block are not checked here (see <see cref="RtpExtensionEnumerator"/>).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtpPacket packet)
    {
        packet = default;
        if (!RtpHeader.TryRead(data, out RtpHeader header))
        {
            return false;
        }

        int csrcEnd = FixedHeaderLength + ((data[0] & 0x0F) * 4);
        int offset = csrcEnd;
        if (offset > data.Length)
        {
            return false;
        }

        RtpHeaderExtension extension = default;
        if ((data[0] & 0x10) != 0)
        {
            if (!RtpHeaderExtension.TryReadPrefix(data[offset..], out extension))
            {
                return false;
            }

            offset += extension.GetEncodedLength();
        }

        int end = data.Length;
        byte padding = 0;
        if ((data[0] & 0x20) != 0)
        {
            padding = data[^1];
            if (padding == 0 || padding > end - offset)
            {
                return false;
            }

            end -= padding;
        }

        packet = new RtpPacket(header, data[offset..end])
        {
            Csrcs = SsrcList.FromWire(data[FixedHeaderLength..csrcEnd]),
            Extension = extension,
            PaddingLength = padding,
        };
        return true;
    }

    public int GetEncodedLength() => HeaderLength + Payload.Length + PaddingLength;

    /// <summary>
    /// Writes the packet; false when it does not fit or a field is out of range (payload type over 127, more than
    /// 15 CSRCs, an extension block that is not a whole number of words).
    /// </summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (Header.PayloadType > RtpHeader.MaxPayloadType || Csrcs.Count > MaxCsrcCount || destination.Length < length)
        {
            return false;
        }

        int offset = FixedHeaderLength + Csrcs.EncodedLength;
        if (Extension.IsPresent)
        {
            if (!Extension.TryWrite(destination[offset..], out int extensionLength))
            {
                return false;
            }

            offset += extensionLength;
        }

        destination[0] = (byte)((Version << 6) | (PaddingLength != 0 ? 0x20 : 0) | (Extension.IsPresent ? 0x10 : 0)
            | Csrcs.Count);
        destination[1] = (byte)((Header.Marker ? 0x80 : 0) | Header.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Header.Ssrc);
        Csrcs.WriteTo(destination[FixedHeaderLength..]);
        Payload.CopyTo(destination[offset..]);
        if (PaddingLength != 0)
        {
            destination.Slice(offset + Payload.Length, PaddingLength - 1).Clear();
            destination[length - 1] = PaddingLength;
        }

        written = length;
        return true;
    }

    public override string ToString() =>
        $"RTP pt={PayloadType} seq={SequenceNumber} ts={Timestamp} ssrc={Ssrc:x8}{(Marker ? " M" : "")} ({Payload.Length} bytes)";
}
