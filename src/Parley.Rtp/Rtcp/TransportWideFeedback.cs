using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1):
/// transport layer feedback (PT=205, FMT=15) in which a receiver reports, for a range of transport-wide sequence
/// numbers, which packets arrived and when, so that the sender can run congestion control.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=15 |    PT=205     |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     SSRC of packet sender                     |
/// |                      SSRC of media source                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      base sequence number     |      packet status count      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 reference time                | fb pkt. count |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          packet chunk         |         packet chunk          |
/// .                                                               .
/// |         packet chunk          |  recv delta   |  recv delta   |
/// .                                                               .
/// |           recv delta          |  recv delta   | zero padding  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The reference time is a signed 24-bit count of 64 ms; receive deltas count 250 µs, one unsigned byte for a
/// "small delta" status, two signed bytes for a "large or negative delta" one. Read, it is a view over the packet;
/// built with <see cref="TryCreate"/>, a view over the caller's arrivals, encoded when written. Either way
/// <see cref="GetPacketStatuses"/> lists what the packet says, without allocating.
/// </summary>
public readonly ref struct TransportWideFeedback : IWireEncodable
{
    public const int MaxPacketStatusCount = ushort.MaxValue;

    /// <summary>Header, both SSRCs, base sequence number, status count, reference time and feedback count.</summary>
    private const int FixedLength = 20;
    private const int FixedFciLength = 8;

    public static readonly TimeSpan DeltaUnit = TimeSpan.FromTicks(TwccEncoder.TicksPerDelta);
    public static readonly TimeSpan ReferenceTimeUnit = TimeSpan.FromMilliseconds(64);

    private readonly ReadOnlySpan<byte> _fci;
    private readonly ReadOnlySpan<byte> _chunks;
    private readonly ReadOnlySpan<byte> _deltas;
    private readonly ReadOnlySpan<TwccArrival> _arrivals;

    private TransportWideFeedback(uint senderSsrc, uint mediaSsrc, ushort baseSequenceNumber, ushort packetStatusCount,
        int referenceTime, byte feedbackPacketCount, ReadOnlySpan<byte> fci, ReadOnlySpan<byte> chunks,
        ReadOnlySpan<byte> deltas, ReadOnlySpan<TwccArrival> arrivals)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        BaseSequenceNumber = baseSequenceNumber;
        PacketStatusCount = packetStatusCount;
        ReferenceTime = referenceTime;
        FeedbackPacketCount = feedbackPacketCount;
        _fci = fci;
        _chunks = chunks;
        _deltas = deltas;
        _arrivals = arrivals;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    /// <summary>The transport-wide sequence number of the first status.</summary>
    public ushort BaseSequenceNumber { get; }

    public ushort PacketStatusCount { get; }

    /// <summary>The reference time in 64 ms units: a signed 24-bit value on the receiver's clock.</summary>
    public int ReferenceTime { get; }

    /// <summary>The reference time as a time span (a multiple of 64 ms).</summary>
    public TimeSpan ReferenceTimeSpan => TimeSpan.FromTicks(ReferenceTime * ReferenceTimeUnit.Ticks);

    /// <summary>Incremented by the receiver with each feedback packet, to detect lost feedback.</summary>
    public byte FeedbackPacketCount { get; }

    public static bool TryRead(ReadOnlySpan<byte> data, out TransportWideFeedback feedback)
    {
        feedback = default;
        if (!RtcpFeedback.TryRead(data, RtcpPacketType.RtpFeedback, (byte)RtpFeedbackFormat.TransportWideFeedback,
                out uint sender, out uint media, out ReadOnlySpan<byte> fci)
            || fci.Length < FixedFciLength)
        {
            return false;
        }

        ushort baseSequence = BinaryPrimitives.ReadUInt16BigEndian(fci);
        int count = BinaryPrimitives.ReadUInt16BigEndian(fci[2..]);
        int referenceTime = (int)(BinaryPrimitives.ReadUInt32BigEndian(fci[4..]) & 0xFFFFFF00) >> 8;
        if (count == 0)
        {
            return false;
        }

        int offset = FixedFciLength, remaining = count, deltaBytes = 0;
        while (remaining > 0)
        {
            if (fci.Length - offset < TwccPacketChunk.EncodedLength)
            {
                return false;
            }

            var chunk = new TwccPacketChunk(BinaryPrimitives.ReadUInt16BigEndian(fci[offset..]));
            offset += TwccPacketChunk.EncodedLength;
            int symbols = Math.Min(chunk.SymbolCount, remaining);
            remaining -= symbols;
            if (chunk.IsRunLength)
            {
                if (chunk.RunSymbol == TwccStatusSymbol.Reserved)
                {
                    return false;
                }

                deltaBytes += symbols * (int)chunk.RunSymbol; // a small delta takes 1 byte, a large one 2
                continue;
            }

            for (int i = 0; i < symbols; i++)
            {
                TwccStatusSymbol symbol = chunk.GetSymbol(i);
                if (symbol == TwccStatusSymbol.Reserved)
                {
                    return false;
                }

                deltaBytes += (int)symbol;
            }
        }

        int trailing = fci.Length - offset - deltaBytes;
        if (trailing is < 0 or >= 4)
        {
            return false; // deltas past the end, or more than padding after them
        }

        feedback = new TransportWideFeedback(sender, media, baseSequence, (ushort)count, referenceTime, fci[7], fci,
            fci[FixedFciLength..offset], fci.Slice(offset, deltaBytes), default);
        return true;
    }

    /// <summary>How many of <paramref name="arrivals"/>, from the first, one feedback packet can carry (see
    /// <see cref="TryCreate"/>); start the next packet with the rest.</summary>
    public static int GetFittingCount(ReadOnlySpan<TwccArrival> arrivals) => TwccEncoder.GetFittingCount(arrivals);

    /// <summary>
    /// Feedback as a receiver sends it, for the packets it got: statuses run from the first arrival's sequence
    /// number to the last one's, those in between without an arrival reported as not received; the reference time
    /// is the first arrival's time rounded down to 64 ms; arrival times keep 250 µs resolution. The arrivals must be
    /// in ascending sequence order (wraparound allowed, repeats not), span at most 65535 sequence numbers, and lie
    /// within ±8192 ms of the previous one: false otherwise (<see cref="GetFittingCount"/> says how many fit). The
    /// feedback is a view over <paramref name="arrivals"/>, which must outlive it.
    /// </summary>
    public static bool TryCreate(uint senderSsrc, uint mediaSsrc, byte feedbackPacketCount,
        ReadOnlySpan<TwccArrival> arrivals, out TransportWideFeedback feedback)
    {
        feedback = default;
        if (arrivals.IsEmpty || TwccEncoder.GetFittingCount(arrivals) != arrivals.Length)
        {
            return false;
        }

        var encoder = new TwccEncoder(arrivals);
        feedback = new TransportWideFeedback(senderSsrc, mediaSsrc, encoder.BaseSequenceNumber, (ushort)encoder.StatusCount,
            WireReferenceTime(encoder.ReferenceUnits), feedbackPacketCount, default, default, default, arrivals);
        return true;
    }

    /// <summary>The status of each packet from the base sequence number on.</summary>
    public TwccStatusEnumerator GetPacketStatuses() => _arrivals.IsEmpty
        ? new TwccStatusEnumerator(BaseSequenceNumber, PacketStatusCount, ReferenceTime, _chunks, _deltas)
        : new TwccStatusEnumerator(new TwccEncoder(_arrivals), ReferenceTime);

    public int GetEncodedLength()
    {
        if (_arrivals.IsEmpty)
        {
            return RtcpFeedback.CommonLength + _fci.Length;
        }

        var encoder = new TwccEncoder(_arrivals);
        int length = FixedLength + (encoder.CountChunks() * TwccPacketChunk.EncodedLength) + encoder.CountDeltaBytes();
        return (length + 3) & ~3;
    }

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (!RtcpWriter.CanWrite(length, destination))
        {
            return false;
        }

        Span<byte> fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.RtpFeedback,
            (byte)RtpFeedbackFormat.TransportWideFeedback, length, SenderSsrc, MediaSsrc);
        if (_arrivals.IsEmpty)
        {
            _fci.CopyTo(fci);
        }
        else
        {
            WriteFci(new TwccEncoder(_arrivals), fci);
        }

        written = length;
        return true;
    }

    private void WriteFci(TwccEncoder encoder, Span<byte> fci)
    {
        BinaryPrimitives.WriteUInt16BigEndian(fci, BaseSequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(fci[2..], PacketStatusCount);
        BinaryPrimitives.WriteUInt32BigEndian(fci[4..], ((uint)ReferenceTime << 8) | FeedbackPacketCount);
        int offset = FixedFciLength;
        for (int index = 0; index < encoder.StatusCount; offset += TwccPacketChunk.EncodedLength)
        {
            BinaryPrimitives.WriteUInt16BigEndian(fci[offset..], encoder.NextChunk(ref index).Value);
        }

        for (int j = 0; j < encoder.ArrivalCount; j++)
        {
            long delta = encoder.Delta(j);
            if (encoder.SymbolOfArrival(j) == TwccStatusSymbol.ReceivedSmallDelta)
            {
                fci[offset++] = (byte)delta;
            }
            else
            {
                BinaryPrimitives.WriteInt16BigEndian(fci[offset..], (short)delta);
                offset += 2;
            }
        }

        fci[offset..].Clear();
    }

    /// <summary>The low 24 bits of the reference time, sign-extended as a reader sees them.</summary>
    private static int WireReferenceTime(long referenceUnits) => (int)((uint)referenceUnits << 8) >> 8;
}
