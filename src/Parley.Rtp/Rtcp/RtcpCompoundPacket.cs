namespace Parley.Rtp.Rtcp;

/// <summary>
/// A compound RTCP packet (RFC 3550 §6.1): RTCP packets back to back in one datagram. Reading checks every
/// packet's header (version 2, a length within the datagram, padding only on the last packet) and that the
/// packets fill the datagram exactly. The RFC 3550 rule that a compound packet starts with an SR or RR is not
/// enforced, since reduced-size RTCP (RFC 5506) lifts it. Enumerating allocates nothing.
/// </summary>
public readonly ref struct RtcpCompoundPacket
{
    private RtcpCompoundPacket(ReadOnlySpan<byte> raw, int count)
    {
        Raw = raw;
        Count = count;
    }

    public ReadOnlySpan<byte> Raw { get; }

    /// <summary>How many RTCP packets it holds (at least one).</summary>
    public int Count { get; }

    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpCompoundPacket compound)
    {
        compound = default;
        int offset = 0, count = 0;
        while (offset < data.Length)
        {
            if (!RtcpPacket.TryReadPrefix(data[offset..], out RtcpPacket packet))
            {
                return false;
            }

            offset += packet.Raw.Length;
            count++;
            if (packet.Header.Padding && offset != data.Length)
            {
                return false; // RFC 3550 §6.4.1: only the last packet of a compound packet may be padded
            }
        }

        if (count == 0)
        {
            return false;
        }

        compound = new RtcpCompoundPacket(data, count);
        return true;
    }

    public Enumerator GetEnumerator() => new(Raw);

    /// <summary>The packets in order.</summary>
    public ref struct Enumerator
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _offset;

        internal Enumerator(ReadOnlySpan<byte> data)
        {
            _data = data;
            _offset = 0;
            Current = default;
        }

        public RtcpPacket Current { get; private set; }

        public bool MoveNext()
        {
            if (_offset >= _data.Length || !RtcpPacket.TryReadPrefix(_data[_offset..], out RtcpPacket packet))
            {
                return false;
            }

            Current = packet;
            _offset += packet.Raw.Length;
            return true;
        }
    }
}
