namespace Parley.Rtp.Rtcp;

/// <summary>
/// One RTCP packet of any type, as found in a compound packet: its header, its payload (what follows the header,
/// without padding) and its raw bytes. Pass <see cref="Raw"/> to the reader of its type (for example
/// <see cref="SenderReport.TryRead"/>). A view over the bytes it was read from.
/// </summary>
public readonly ref struct RtcpPacket
{
    private RtcpPacket(RtcpHeader header, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> payload)
    {
        Header = header;
        Raw = raw;
        Payload = payload;
    }

    public RtcpHeader Header { get; }

    /// <summary>The whole packet: header, payload and padding.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    /// <summary>What follows the 4-byte header, padding removed.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    public RtcpPacketType PacketType => Header.PacketType;

    /// <summary>True for an RTPFB or PSFB packet with this FMT.</summary>
    public bool IsFeedback(RtcpPacketType type, byte format) => Header.PacketType == type && Header.Format == format;

    /// <summary>
    /// Reads a packet that is exactly <paramref name="data"/>: version 2, a length field that matches, and when the
    /// P bit is set a padding count of at least one that leaves the header whole.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpPacket packet) =>
        TryReadPrefix(data, out packet) && packet.Raw.Length == data.Length;

    /// <summary>Reads the packet at the start of <paramref name="data"/>, which may go on.</summary>
    internal static bool TryReadPrefix(ReadOnlySpan<byte> data, out RtcpPacket packet)
    {
        packet = default;
        if (!RtcpHeader.TryRead(data, out RtcpHeader header) || header.PacketLength > data.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> raw = data[..header.PacketLength];
        int end = raw.Length;
        if (header.Padding)
        {
            int padding = raw[^1];
            if (padding == 0 || padding > end - RtcpHeader.EncodedLength)
            {
                return false;
            }

            end -= padding;
        }

        packet = new RtcpPacket(header, raw, raw[RtcpHeader.EncodedLength..end]);
        return true;
    }

    /// <summary>Reads one packet of the given type for a type-specific reader.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> data, RtcpPacketType type, out RtcpHeader header,
        out ReadOnlySpan<byte> payload)
    {
        bool ok = TryRead(data, out RtcpPacket packet) && packet.PacketType == type;
        header = ok ? packet.Header : default;
        payload = ok ? packet.Payload : default;
        return ok;
    }
}
