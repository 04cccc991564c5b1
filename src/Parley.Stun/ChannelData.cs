using System.Buffers.Binary;

namespace Parley.Stun;

/// <summary>
/// A ChannelData message (RFC 8656 §12.4): application data relayed between a client and a peer bound to a channel,
/// with a 4-byte header instead of a Send or Data indication's 36 or more.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Channel Number        |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// /                       Application Data                        /
/// |                               +-------------------------------+
/// |                               |
/// +-------------------------------+
/// </code>
/// The length counts the application data only. Over TCP and TLS the message is padded to a multiple of 4 bytes
/// (the padding is not counted); over UDP padding is optional (§12.5), and a datagram shorter than 4 + length is
/// discarded. The channel number is 0x4000-0x7FFF (RFC 5766's range, which clients still use; RFC 8656 narrowed it
/// to 0x4000-0x7FFF so that RFC 7983 §7 could give 80-127 to QUIC), which puts the first byte in 64-127: no STUN,
/// DTLS or RTP packet starts there.
/// A view over the bytes it was read from: nothing is copied, and <see cref="Data"/> starts at
/// <see cref="HeaderLength"/> in them, so a caller holding memory can slice it there.
/// </summary>
public readonly ref struct ChannelData
{
    public const int HeaderLength = 4;

    /// <summary>The most application data the 16-bit length field can describe.</summary>
    public const int MaxDataLength = ushort.MaxValue;

    private ChannelData(ushort channelNumber, ReadOnlySpan<byte> data)
    {
        ChannelNumber = channelNumber;
        Data = data;
    }

    /// <summary>0x4000-0x7FFF.</summary>
    public ushort ChannelNumber { get; }

    /// <summary>The application data, without padding.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The header and the data, without padding.</summary>
    public int Length => HeaderLength + Data.Length;

    /// <summary>The first-byte test of RFC 7983 §7: 64-79 is a TURN channel.</summary>
    public static bool IsChannelDataFirstByte(byte firstByte) => firstByte is >= 64 and <= 127;

    /// <summary>A cheap test for demultiplexing: a whole header whose first byte is 64-79.</summary>
    public static bool LooksLikeChannelData(ReadOnlySpan<byte> data) =>
        data.Length >= HeaderLength && IsChannelDataFirstByte(data[0]);

    /// <summary>The size of a message carrying <paramref name="dataLength"/> bytes: padded to a multiple of 4 for
    /// TCP and TLS, or not (as is usual over UDP).</summary>
    public static int GetFramedLength(int dataLength, bool padded) =>
        HeaderLength + (padded ? (dataLength + 3) & ~3 : dataLength);

    /// <summary>
    /// Reads a message from a datagram, or from a stream frame cut with <see cref="StunFraming.TryGetTurnFrameLength"/>.
    /// False when the channel number is outside 0x4000-0x7FFF or the bytes are fewer than 4 + length; bytes after
    /// the data (padding, whether or not a multiple of 4 results) are ignored.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ChannelData message)
    {
        message = default;
        if (source.Length < HeaderLength)
        {
            return false;
        }

        ushort channelNumber = BinaryPrimitives.ReadUInt16BigEndian(source);
        int length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (!IsValidChannel(channelNumber) || source.Length - HeaderLength < length)
        {
            return false;
        }

        message = new ChannelData(channelNumber, source.Slice(HeaderLength, length));
        return true;
    }

    /// <summary>
    /// Writes a message: the header, the data, and with <paramref name="pad"/> zero padding to a multiple of 4.
    /// False, with nothing written, when the destination is shorter than <see cref="GetFramedLength"/>. The data may
    /// overlap the destination, for example already lie at <see cref="HeaderLength"/> in it (a datagram received
    /// into place).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The channel number is outside 0x4000-0x7FFF, or the data is
    /// longer than 65,535 bytes.</exception>
    public static bool TryWrite(Span<byte> destination, ushort channelNumber, ReadOnlySpan<byte> data, bool pad, out int written)
    {
        ThrowIfInvalid(channelNumber, data.Length, nameof(data));
        int length = GetFramedLength(data.Length, pad);
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        data.CopyTo(destination[HeaderLength..]); // first, in case the data overlaps the header
        destination[(HeaderLength + data.Length)..length].Clear();
        WriteHeader(destination, channelNumber, data.Length);
        written = length;
        return true;
    }

    /// <summary>
    /// Writes only the 4-byte header, for data the caller has already placed (or will place) after it; padding, if
    /// any, is the caller's. False when the destination is shorter than the header.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The channel number is outside 0x4000-0x7FFF, or the length is
    /// negative or over 65,535.</exception>
    public static bool TryWriteHeader(Span<byte> destination, ushort channelNumber, int dataLength)
    {
        ThrowIfInvalid(channelNumber, dataLength, nameof(dataLength));
        if (destination.Length < HeaderLength)
        {
            return false;
        }

        WriteHeader(destination, channelNumber, dataLength);
        return true;
    }

    private static bool IsValidChannel(ushort channelNumber) => Attributes.ChannelNumber.IsValidNumber(channelNumber);

    private static void ThrowIfInvalid(ushort channelNumber, int dataLength, string lengthParamName)
    {
        if (!IsValidChannel(channelNumber))
        {
            throw new ArgumentOutOfRangeException(nameof(channelNumber), channelNumber, "Channel numbers run from 0x4000 to 0x7FFF.");
        }

        if (dataLength is < 0 or > MaxDataLength)
        {
            throw new ArgumentOutOfRangeException(lengthParamName, dataLength, "ChannelData carries at most 65,535 bytes.");
        }
    }

    private static void WriteHeader(Span<byte> destination, ushort channelNumber, int dataLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, channelNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)dataLength);
    }

    public override string ToString() => $"ChannelData 0x{ChannelNumber:x4} ({Data.Length} bytes)";
}
