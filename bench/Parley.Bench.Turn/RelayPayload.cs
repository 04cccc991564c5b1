using System.Buffers.Binary;

namespace Parley.Bench.Turn;

/// <summary>
/// The application data each client sends to the echo peer through its allocation, and gets back:
/// <code>
/// | client index (4) | window slot (4) | sequence number (8) | send time, Stopwatch ticks (8) | pattern ... |
/// </code>
/// The pattern, fixed per client, fills the rest up to the payload size, so that a reply can be checked byte for
/// byte against what was sent without keeping copies: the fields against the sender's records, the pattern against
/// the client's own send buffer.
/// </summary>
internal static class RelayPayload
{
    /// <summary>The fields before the pattern; also the smallest payload.</summary>
    public const int HeaderLength = 24;

    private const int ClientOffset = 0;
    private const int SlotOffset = 4;
    private const int SequenceOffset = 8;
    private const int TimestampOffset = 16;

    /// <summary>Fills <paramref name="payload"/> with the client's pattern after the header (left zero).</summary>
    public static void WriteTemplate(Span<byte> payload, int client)
    {
        payload[..HeaderLength].Clear();
        for (int i = HeaderLength; i < payload.Length; i++)
        {
            payload[i] = (byte)((client * 31) + (i * 7) + 13);
        }
    }

    /// <summary>Writes the header fields of one packet; the pattern stays as it is.</summary>
    public static void Stamp(Span<byte> payload, int client, int slot, long sequence, long timestamp)
    {
        BinaryPrimitives.WriteInt32LittleEndian(payload[ClientOffset..], client);
        BinaryPrimitives.WriteInt32LittleEndian(payload[SlotOffset..], slot);
        BinaryPrimitives.WriteInt64LittleEndian(payload[SequenceOffset..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[TimestampOffset..], timestamp);
    }

    /// <summary>The client index of a payload of at least <see cref="HeaderLength"/> bytes.</summary>
    public static int ReadClient(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt32LittleEndian(payload[ClientOffset..]);

    public static int ReadSlot(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt32LittleEndian(payload[SlotOffset..]);

    public static long ReadSequence(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload[SequenceOffset..]);

    public static long ReadTimestamp(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload[TimestampOffset..]);

    /// <summary>True when the pattern after the header is the client's, as in <paramref name="template"/>.</summary>
    public static bool HasPattern(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> template) =>
        payload.Length == template.Length && payload[HeaderLength..].SequenceEqual(template[HeaderLength..]);
}
