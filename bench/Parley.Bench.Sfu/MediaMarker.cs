using System.Buffers.Binary;

namespace Parley.Bench.Sfu;

/// <summary>
/// What every synthetic video packet carries, at a fixed place in its RTP payload (after the VP8 payload descriptor
/// and room for a key frame's header): a magic number, the publisher's index, its packet counter and the send time
/// (<see cref="System.Diagnostics.Stopwatch"/> ticks; publishers and subscribers are one process, one clock).
/// </summary>
internal static class MediaMarker
{
    public const int Offset = 12;
    public const int Length = 24;
    private const uint Magic = 0x50425346; // "PBSF"

    public static void Write(Span<byte> payload, int publisher, long counter, long sendTicks)
    {
        Span<byte> marker = payload.Slice(Offset, Length);
        BinaryPrimitives.WriteUInt32BigEndian(marker, Magic);
        BinaryPrimitives.WriteInt32BigEndian(marker[4..], publisher);
        BinaryPrimitives.WriteInt64BigEndian(marker[8..], counter);
        BinaryPrimitives.WriteInt64BigEndian(marker[16..], sendTicks);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out int publisher, out long counter, out long sendTicks)
    {
        publisher = 0;
        counter = 0;
        sendTicks = 0;
        if (payload.Length < Offset + Length)
        {
            return false;
        }

        ReadOnlySpan<byte> marker = payload.Slice(Offset, Length);
        if (BinaryPrimitives.ReadUInt32BigEndian(marker) != Magic)
        {
            return false;
        }

        publisher = BinaryPrimitives.ReadInt32BigEndian(marker[4..]);
        counter = BinaryPrimitives.ReadInt64BigEndian(marker[8..]);
        sendTicks = BinaryPrimitives.ReadInt64BigEndian(marker[16..]);
        return true;
    }

    /// <summary>Where an RTP packet's payload starts (after CSRCs and a header extension), or -1.</summary>
    public static int PayloadOffset(ReadOnlySpan<byte> rtp)
    {
        if (rtp.Length < 12 || rtp[0] >> 6 != 2)
        {
            return -1;
        }

        int offset = 12 + 4 * (rtp[0] & 0x0F);
        if ((rtp[0] & 0x10) != 0)
        {
            if (rtp.Length < offset + 4)
            {
                return -1;
            }

            offset += 4 + 4 * BinaryPrimitives.ReadUInt16BigEndian(rtp[(offset + 2)..]);
        }

        return offset <= rtp.Length ? offset : -1;
    }
}
