using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

public sealed class PacketCacheTests
{
    private static byte[] Packet(ushort sequence, int length = 100)
    {
        byte[] packet = new byte[length];
        packet[0] = 0x80;
        packet[2] = (byte)(sequence >> 8);
        packet[3] = (byte)sequence;
        packet[^1] = (byte)sequence;
        return packet;
    }

    [Fact]
    public void A_stored_packet_is_found_by_its_sequence_number_until_a_newer_one_takes_its_slot()
    {
        var cache = new PacketCache();
        cache.Store(Packet(65_500));
        cache.Store(Packet(3)); // across the wrap
        Assert.Equal(Packet(65_500), cache.Find(65_500).ToArray());
        Assert.Equal(Packet(3), cache.Find(3).ToArray());
        Assert.True(cache.Find(4).IsEmpty);

        cache.Store(Packet((ushort)(3 + PacketCache.Capacity)));
        Assert.True(cache.Find(3).IsEmpty);
        Assert.Equal(Packet((ushort)(3 + PacketCache.Capacity)), cache.Find((ushort)(3 + PacketCache.Capacity)).ToArray());
    }

    [Fact]
    public void Packets_too_small_or_too_large_are_not_kept()
    {
        var cache = new PacketCache();
        cache.Store(Packet(1, 11));
        cache.Store(Packet(2, 1501));
        Assert.True(cache.Find(1).IsEmpty);
        Assert.True(cache.Find(2).IsEmpty);
    }
}
