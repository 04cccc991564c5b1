using System.Buffers.Binary;
using System.Numerics;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// A receiver estimated maximum bitrate message, REMB (draft-alvestrand-rmcat-remb-03 §2.2): application layer
/// feedback (PT=206, FMT=15) with the identifier "REMB", the total bitrate the receiver estimates it can take for
/// the listed SSRCs, as mantissa × 2^exponent bits per second.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=15  |   PT=206      |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source (0)                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   SSRC feedback (Num SSRC of them)                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly ref struct ReceiverEstimatedMaxBitrate : IWireEncodable
{
    public const uint Identifier = 0x52454D42; // "REMB"
    public const byte MaxExponent = 63;
    public const uint MaxMantissa = (1 << 18) - 1;
    public const int MaxSsrcCount = 255;
    private const int FixedFciLength = 8;

    public uint SenderSsrc { get; init; }

    public uint MediaSsrc { get; init; }

    /// <summary>BR Exp: 6 bits.</summary>
    public byte Exponent { get; init; }

    /// <summary>BR Mantissa: 18 bits.</summary>
    public uint Mantissa { get; init; }

    public SsrcList Ssrcs { get; init; }

    /// <summary>Mantissa × 2^Exponent bits per second, saturating at <see cref="ulong.MaxValue"/>.</summary>
    public ulong Bitrate => Mantissa != 0 && Exponent > BitOperations.LeadingZeroCount((ulong)Mantissa)
        ? ulong.MaxValue
        : (ulong)Mantissa << Exponent;

    /// <summary>A REMB for <paramref name="bitrate"/>, rounded down to what an 18-bit mantissa can say.</summary>
    public static ReceiverEstimatedMaxBitrate Create(uint senderSsrc, ulong bitrate, SsrcList ssrcs)
    {
        byte exponent = 0;
        while (bitrate >> exponent > MaxMantissa)
        {
            exponent++;
        }

        return new ReceiverEstimatedMaxBitrate
        {
            SenderSsrc = senderSsrc,
            Exponent = exponent,
            Mantissa = (uint)(bitrate >> exponent),
            Ssrcs = ssrcs,
        };
    }

    public static bool TryRead(ReadOnlySpan<byte> data, out ReceiverEstimatedMaxBitrate remb)
    {
        remb = default;
        if (!RtcpFeedback.TryRead(data, RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.ApplicationLayer,
                out uint sender, out uint media, out ReadOnlySpan<byte> fci)
            || fci.Length < FixedFciLength || BinaryPrimitives.ReadUInt32BigEndian(fci) != Identifier
            || fci.Length != FixedFciLength + (fci[4] * 4))
        {
            return false;
        }

        uint rate = BinaryPrimitives.ReadUInt32BigEndian(fci[4..]);
        remb = new ReceiverEstimatedMaxBitrate
        {
            SenderSsrc = sender,
            MediaSsrc = media,
            Exponent = (byte)((rate >> 18) & 0x3F),
            Mantissa = rate & MaxMantissa,
            Ssrcs = SsrcList.FromWire(fci[FixedFciLength..]),
        };
        return true;
    }

    /// <summary>True when an application layer feedback packet carries the REMB identifier.</summary>
    public static bool IsRemb(ReadOnlySpan<byte> data) => TryRead(data, out _);

    public int GetEncodedLength() => RtcpFeedback.CommonLength + FixedFciLength + Ssrcs.EncodedLength;

    /// <summary>False when the exponent or mantissa is out of range, there are more than 255 SSRCs, or the
    /// destination is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (Exponent > MaxExponent || Mantissa > MaxMantissa || Ssrcs.Count > MaxSsrcCount
            || !RtcpWriter.CanWrite(length, destination))
        {
            return false;
        }

        Span<byte> fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.PayloadFeedback,
            (byte)PayloadFeedbackFormat.ApplicationLayer, length, SenderSsrc, MediaSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(fci, Identifier);
        BinaryPrimitives.WriteUInt32BigEndian(fci[4..], ((uint)Ssrcs.Count << 24) | ((uint)Exponent << 18) | Mantissa);
        Ssrcs.WriteTo(fci[FixedFciLength..]);
        written = length;
        return true;
    }
}
