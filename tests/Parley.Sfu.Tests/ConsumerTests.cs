using System.Buffers.Binary;
using Parley.Sdp;
using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>A consumer following a simulcast producer: it switches layer only at a key frame of the best active
/// layer and keeps the subscriber's sequence numbers and timestamps continuous.</summary>
public sealed class ConsumerTests
{
    private sealed class Sink : IMediaSink
    {
        public List<(uint Ssrc, byte PayloadType, ushort Sequence, uint Timestamp, byte Marker)> Rtp { get; } = [];

        public long EstimatedBitrate { get; set; }

        public void SendRtp(ReadOnlySpan<byte> plain, uint ssrc, byte payloadType, ushort sequenceNumber, uint timestamp, byte absSendTimeId) =>
            Rtp.Add((ssrc, payloadType, sequenceNumber, timestamp, plain[^1]));

        public void SendRtcp(ReadOnlySpan<byte> plain)
        {
        }
    }

    /// <summary>A VP8 packet: key frame or not; the last byte marks which packet it was.</summary>
    private static byte[] Vp8(ushort sequence, uint timestamp, bool key, byte tag)
    {
        byte[] packet = [0x80, 96, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x10, (byte)(key ? 0x00 : 0x01), 0, tag];
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        return packet;
    }

    private static (Producer Producer, Consumer Consumer, Sink Sink) Simulcast(params string[] rids)
    {
        var description = new ProducerDescription("1", MediaKind.Video, new Codec(96, "VP8", 90000), null, null, "c", "s", "t", [], rids);
        var producer = new Producer(description, null!, TimeProvider.System);
        var sink = new Sink();
        var consumer = new Consumer(new ConsumerDescription("0", description, 100, 0xABCD, new HashSet<byte>()), sink, producer);
        return (producer, consumer, sink);
    }

    [Fact]
    public void The_consumer_waits_for_a_key_frame_then_moves_up_to_the_best_layer_with_continuous_numbering()
    {
        (Producer producer, Consumer consumer, Sink sink) = Simulcast("low", "high");
        SimulcastLayer low = producer.Layers[0], high = producer.Layers[1];
        long now = 10_000;
        low.LastPacketAt = now;
        consumer.Send(Vp8(100, 9000, key: false, 1), 0, now);           // not a key frame: nothing yet
        consumer.Send(Vp8(101, 9000, key: true, 2), 0, now);            // starts on the low layer
        consumer.Send(Vp8(102, 12000, key: false, 3), 0, now + 33);
        Assert.Equal([(0xABCDu, (byte)100, (ushort)101, 9000u, (byte)2), (0xABCDu, (byte)100, (ushort)102, 12000u, (byte)3)], sink.Rtp);

        high.LastPacketAt = now + 40;                                    // the high layer starts
        consumer.Send(Vp8(5000, 777_000, key: false, 4), 1, now + 40);  // waits for its key frame
        consumer.Send(Vp8(103, 15000, key: false, 5), 0, now + 66);     // still sent: no freeze while waiting
        consumer.Send(Vp8(5001, 777_000, key: true, 6), 1, now + 70);   // switch
        consumer.Send(Vp8(5002, 780_000, key: false, 7), 1, now + 103);
        consumer.Send(Vp8(104, 18000, key: false, 8), 0, now + 100);    // low layer packets are dropped now

        Assert.Equal([2, 3, 5, 6, 7], sink.Rtp.Select(p => (int)p.Marker));
        Assert.Equal([101, 102, 103, 104, 105], sink.Rtp.Select(p => (int)p.Sequence));
        // The switch comes 4 ms after the last packet sent (+66 ms): 360 ticks at 90 kHz after 15000, then the high
        // layer's own spacing.
        Assert.Equal([9000u, 12000u, 15000u, 15360u, 18360u], sink.Rtp.Select(p => p.Timestamp));
        Assert.Equal(1, consumer.CurrentLayer);
    }

    [Fact]
    public void When_the_best_layer_stops_the_consumer_falls_back_at_the_next_key_frame_below()
    {
        (Producer producer, Consumer consumer, Sink sink) = Simulcast("low", "high");
        long now = 50_000;
        producer.Layers[0].LastPacketAt = now;
        producer.Layers[1].LastPacketAt = now;
        consumer.Send(Vp8(1, 1000, key: true, 1), 1, now);
        Assert.Equal(1, consumer.CurrentLayer);

        long later = now + Producer.LayerTimeout + 100;                  // high went quiet
        producer.Layers[0].LastPacketAt = later;
        consumer.Send(Vp8(900, 5000, key: false, 2), 0, later);
        consumer.Send(Vp8(901, 5000, key: true, 3), 0, later);
        Assert.Equal(0, consumer.CurrentLayer);
        Assert.Equal([1, 3], sink.Rtp.Select(p => (int)p.Marker));
        Assert.Equal([1, 2], sink.Rtp.Select(p => (int)p.Sequence));
    }

    [Fact]
    public void A_subscriber_whose_estimate_fits_only_the_low_layer_gets_the_low_layer_and_rises_when_it_grows()
    {
        (Producer producer, Consumer consumer, Sink sink) = Simulcast("low", "high");
        long now = 100_000;
        for (long t = now - 1200; t <= now; t += 100)
        {
            producer.Layers[0].LastPacketAt = t;
            producer.Layers[0].Count(1250, t);  // ~100 kbit/s
            producer.Layers[1].LastPacketAt = t;
            producer.Layers[1].Count(12_500, t); // ~1 Mbit/s
        }

        sink.EstimatedBitrate = 300_000;
        Assert.Equal(0, producer.BestLayerFor(sink.EstimatedBitrate, now));
        consumer.Send(Vp8(1, 1000, key: true, 1), 1, now);   // the high layer does not fit
        consumer.Send(Vp8(50, 2000, key: true, 2), 0, now);
        Assert.Equal(0, consumer.CurrentLayer);

        sink.EstimatedBitrate = 2_000_000;
        consumer.Send(Vp8(2, 4000, key: true, 3), 1, now + 10);
        Assert.Equal(1, consumer.CurrentLayer);
        Assert.Equal([2, 3], sink.Rtp.Select(p => (int)p.Marker));
        Assert.Equal(0, producer.BestLayerFor(50_000, now)); // nothing fits: the lowest still goes
    }

    [Fact]
    public void Without_simulcast_packets_pass_with_their_own_numbering_from_the_first_one()
    {
        var description = new ProducerDescription("0", MediaKind.Audio, new Codec(111, "opus", 48000, 2), 42, null, "c", "s", "t", []);
        var producer = new Producer(description, null!, TimeProvider.System);
        var sink = new Sink();
        var consumer = new Consumer(new ConsumerDescription("0", description, 109, 7, new HashSet<byte>()), sink, producer);
        byte[] packet = Vp8(65535, 4_294_967_000, key: false, 9);
        consumer.Send(packet, 0, 1);
        consumer.Send(Vp8(0, 0, key: false, 10), 0, 21); // both wrap: passed as they are
        Assert.Equal([(7u, (byte)109, (ushort)65535, 4_294_967_000u, (byte)9), (7u, (byte)109, (ushort)0, 0u, (byte)10)], sink.Rtp);
    }
}
