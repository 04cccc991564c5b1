using System.Buffers.Binary;

namespace Parley.Sfu.Media;

/// <summary>
/// The last <see cref="Capacity"/> RTP packets of a video track by sequence number, so that subscribers' NACKs
/// (RFC 4585 §6.2.1) are answered with the lost packets instead of waiting for a key frame. Written and read on
/// the media port's receive loop only; slots are allocated once and reused.
/// </summary>
internal sealed class PacketCache
{
    /// <summary>About two seconds of video at 250 packets a second.</summary>
    public const int Capacity = 512;

    private const int SlotLength = 1500;

    private readonly byte[]?[] _slots = new byte[]?[Capacity];
    private readonly int[] _lengths = new int[Capacity];

    public void Store(ReadOnlySpan<byte> packet)
    {
        if (packet.Length is < 12 or > SlotLength)
        {
            return;
        }

        int index = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) % Capacity;
        byte[] slot = _slots[index] ??= new byte[SlotLength];
        packet.CopyTo(slot);
        _lengths[index] = packet.Length;
    }

    /// <summary>The stored packet with <paramref name="sequenceNumber"/>; empty when it has been overwritten or never came.</summary>
    public ReadOnlySpan<byte> Find(ushort sequenceNumber)
    {
        int index = sequenceNumber % Capacity;
        if (_slots[index] is not { } slot || _lengths[index] < 12 || BinaryPrimitives.ReadUInt16BigEndian(slot.AsSpan(2)) != sequenceNumber)
        {
            return default;
        }

        return slot.AsSpan(0, _lengths[index]);
    }
}
