using System.Buffers.Binary;

namespace Parley.WebRtc.IceTcp;

/// <summary>
/// RFC 4571 framing of packets on a TCP connection (the framing ICE-TCP uses, RFC 6544 §3): each packet is preceded
/// by its length as a 16-bit big-endian number. A stream read may end inside a frame or hold several.
/// </summary>
internal static class Rfc4571Framing
{
    public const int HeaderLength = 2;

    /// <summary>
    /// Reads the frame at the start of <paramref name="buffered"/>: <see cref="FrameStatus.Complete"/> with the
    /// packet's length when all of it is there, <see cref="FrameStatus.Incomplete"/> when more bytes are needed, and
    /// <see cref="FrameStatus.Invalid"/> for an empty frame or one longer than <paramref name="maxPacketLength"/>
    /// (no peer sends those; the stream cannot be trusted after one).
    /// </summary>
    public static FrameStatus TryRead(ReadOnlySpan<byte> buffered, int maxPacketLength, out int packetLength)
    {
        packetLength = 0;
        if (buffered.Length < HeaderLength)
        {
            return FrameStatus.Incomplete;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(buffered);
        if (length == 0 || length > maxPacketLength)
        {
            return FrameStatus.Invalid;
        }

        packetLength = length;
        return buffered.Length - HeaderLength >= length ? FrameStatus.Complete : FrameStatus.Incomplete;
    }

    /// <summary>Writes the frame of <paramref name="packet"/> (at most 65535 bytes) into <paramref name="destination"/>;
    /// returns its length.</summary>
    public static int Write(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, checked((ushort)packet.Length));
        packet.CopyTo(destination[HeaderLength..]);
        return HeaderLength + packet.Length;
    }
}
