namespace Parley.Rtp.Rtcp;

/// <summary>
/// A generic NACK (RFC 4585 §6.2.1): transport layer feedback (PT=205, FMT=1) listing lost packets of the media
/// source as <see cref="NackPair"/>s. Read it as the list of lost sequence numbers with
/// <see cref="GetLostSequenceNumbers"/>; build the fewest pairs for a list of losses with <see cref="TryCreatePairs"/>.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  FMT=1  |    PT=205     |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |            PID                |             BLP               |  (one or more)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly ref struct GenericNack : IWireEncodable
{
    public GenericNack(uint senderSsrc, uint mediaSsrc, RtcpItemList<NackPair> pairs)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        Pairs = pairs;
    }

    public uint SenderSsrc { get; init; }

    public uint MediaSsrc { get; init; }

    public RtcpItemList<NackPair> Pairs { get; init; }

    /// <summary>How many sequence numbers the pairs report, repeats included.</summary>
    public int LostCount
    {
        get
        {
            int count = 0;
            foreach (NackPair pair in Pairs)
            {
                count += pair.LostCount;
            }

            return count;
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> data, out GenericNack nack)
    {
        nack = default;
        if (!RtcpFeedback.TryRead(data, RtcpPacketType.RtpFeedback, (byte)RtpFeedbackFormat.GenericNack,
                out uint sender, out uint media, out ReadOnlySpan<byte> fci)
            || fci.IsEmpty || fci.Length % NackPair.EncodedLength != 0)
        {
            return false;
        }

        nack = new GenericNack(sender, media, RtcpItemList<NackPair>.FromWire(fci));
        return true;
    }

    /// <summary>The lost sequence numbers, pair by pair: each PID, then the ones its BLP marks.</summary>
    public LostEnumerator GetLostSequenceNumbers() => new(Pairs);

    /// <summary>
    /// Covers <paramref name="lost"/> (ascending in RTP order, wraparound allowed, repeats ignored) with the fewest
    /// pairs: each pair starts at the first loss not yet covered and marks the losses among the next 16. False when
    /// the list is not ascending or the destination is too small; <see cref="CountPairs"/> says how many are needed.
    /// </summary>
    public static bool TryCreatePairs(ReadOnlySpan<ushort> lost, Span<NackPair> destination, out int count)
    {
        count = CountPairs(lost);
        if (count < 0 || count > destination.Length)
        {
            count = 0;
            return false;
        }

        Cover(lost, destination);
        return true;
    }

    /// <summary>How many pairs <see cref="TryCreatePairs"/> makes for <paramref name="lost"/>, or -1 when the list
    /// is not ascending.</summary>
    public static int CountPairs(ReadOnlySpan<ushort> lost) => Cover(lost, []);

    /// <summary>The greedy cover, which is minimal: a pair can only start at a loss, and starting at the first
    /// uncovered one covers at least as much as any later start. Writes as many pairs as fit.</summary>
    private static int Cover(ReadOnlySpan<ushort> lost, Span<NackPair> destination)
    {
        int count = 0;
        for (int i = 0; i < lost.Length;)
        {
            ushort pid = lost[i++];
            int bitmask = 0;
            for (; i < lost.Length; i++)
            {
                if (SequenceNumbers.IsNewer(lost[i - 1], lost[i]))
                {
                    return -1;
                }

                int distance = SequenceNumbers.Difference(lost[i], pid);
                if (distance is < 0 or > 16)
                {
                    break;
                }

                if (distance > 0)
                {
                    bitmask |= 1 << (distance - 1);
                }
            }

            if (count < destination.Length)
            {
                destination[count] = new NackPair(pid, (ushort)bitmask);
            }

            count++;
        }

        return count;
    }

    public int GetEncodedLength() => RtcpFeedback.CommonLength + Pairs.EncodedLength;

    /// <summary>False when there is no pair or the destination is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (Pairs.IsEmpty || !RtcpWriter.CanWrite(length, destination))
        {
            return false;
        }

        Span<byte> fci = RtcpFeedback.WriteCommon(destination, RtcpPacketType.RtpFeedback, (byte)RtpFeedbackFormat.GenericNack,
            length, SenderSsrc, MediaSsrc);
        Pairs.TryWriteTo(fci);
        written = length;
        return true;
    }

    /// <summary>Expands PID/BLP pairs into sequence numbers without allocating.</summary>
    public ref struct LostEnumerator
    {
        private readonly RtcpItemList<NackPair> _pairs;
        private int _pair;
        private int _bit;
        private NackPair _current;

        internal LostEnumerator(RtcpItemList<NackPair> pairs)
        {
            _pairs = pairs;
            _pair = -1;
            _bit = 16;
            _current = default;
            Current = 0;
        }

        public ushort Current { get; private set; }

        public readonly LostEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_bit < 16)
            {
                int bit = _bit++;
                if ((_current.LostBitmask & (1 << bit)) != 0)
                {
                    Current = (ushort)(_current.PacketId + bit + 1);
                    return true;
                }
            }

            if (++_pair >= _pairs.Count)
            {
                return false;
            }

            _current = _pairs[_pair];
            _bit = 0;
            Current = _current.PacketId;
            return true;
        }
    }
}
