using System.Buffers.Binary;
using Parley.Sdp;
using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>A consumer following a simulcast producer: it switches layer (or pauses and resumes) only at a key frame
/// of the layer its budget picks and keeps the subscriber's sequence numbers and timestamps continuous.</summary>
public sealed class ConsumerTests
{
    private sealed class Sink : IMediaSink
    {
        public List<(uint Ssrc, byte PayloadType, ushort Sequence, uint Timestamp, byte Marker)> Rtp { get; } = [];

        public long Budget { get; set; }

        public List<(int Previous, int Next)> Changes { get; } = [];

        public long VideoBudget(long now) => Budget;

        public void OnLayerChanged(Consumer consumer, int previous, int next) => Changes.Add((previous, next));

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

    private long _measuredUntil = long.MinValue;

    /// <summary>Feeds each layer <paramref name="bitrates"/>[i] bits per second (a packet every 100 ms) up to
    /// <paramref name="now"/>, from where the last call stopped or for the second before, so the layers are active
    /// and measured (the first window counts 11 packets in 1000 ms: 10 % more).</summary>
    private void Measure(Producer producer, long now, params long[] bitrates)
    {
        for (long t = Math.Max(now - 1100, _measuredUntil + 100); t <= now; t += 100)
        {
            _measuredUntil = t;
            for (int i = 0; i < bitrates.Length; i++)
            {
                producer.Layers[i].LastPacketAt = t;
                producer.Layers[i].Count((int)(bitrates[i] / 80), t);
            }
        }
    }

    [Fact]
    public void A_subscriber_whose_budget_fits_only_the_low_layer_gets_it_and_rises_only_after_the_budget_stayed_up()
    {
        (Producer producer, Consumer consumer, Sink sink) = Simulcast("low", "high");
        long now = 100_000;
        Measure(producer, now, 100_000, 1_000_000);
        sink.Budget = 300_000;
        consumer.Send(Vp8(1, 1000, key: true, 1), 1, now);   // the high layer does not fit
        consumer.Send(Vp8(50, 2000, key: true, 2), 0, now);
        Assert.Equal(0, consumer.CurrentLayer);

        sink.Budget = 2_000_000;
        long t = now;
        for (; t < now + LayerSelector.UpDelay; t += 500)
        {
            Measure(producer, t, 100_000, 1_000_000);
            consumer.Send(Vp8(2, 4000, key: true, 3), 1, t);   // fits, but not for long enough yet
            Assert.Equal(0, consumer.CurrentLayer);
        }

        Measure(producer, t, 100_000, 1_000_000);
        consumer.Send(Vp8(3, 5000, key: true, 4), 1, t);
        Assert.Equal(1, consumer.CurrentLayer);
        Assert.Equal([2, 4], sink.Rtp.Select(p => (int)p.Marker));
        Assert.Equal([(-1, 0), (0, 1)], sink.Changes);
    }

    [Fact]
    public void Video_is_paused_below_the_lowest_layer_and_resumes_at_a_key_frame_with_no_gap_in_sequence_numbers()
    {
        (Producer producer, Consumer consumer, Sink sink) = Simulcast("low", "mid", "high");
        long now = 200_000;
        Measure(producer, now, 150_000, 500_000, 1_500_000);
        sink.Budget = 3_000_000;
        consumer.Send(Vp8(7000, 90_000, key: true, 1), 2, now);          // high
        consumer.Send(Vp8(7001, 93_000, key: false, 2), 2, now + 33);

        // The budget collapses to what fits the low layer: down at once, at the low layer's key frame.
        sink.Budget = 200_000;
        consumer.Send(Vp8(7002, 96_000, key: false, 3), 2, now + 66);    // still high until low's key frame
        consumer.Send(Vp8(300, 5000, key: false, 4), 0, now + 70);       // not a key frame: dropped
        consumer.Send(Vp8(301, 5000, key: true, 5), 0, now + 80);        // switch
        consumer.Send(Vp8(7003, 99_000, key: false, 6), 2, now + 99);    // high is dropped now
        consumer.Send(Vp8(302, 8000, key: false, 7), 0, now + 113);
        Assert.Equal(0, consumer.CurrentLayer);

        // Below even the low layer, and still falling after the hold's grace: paused, nothing goes out.
        sink.Budget = 100_000;
        consumer.Send(Vp8(303, 8000, key: false, 12), 0, now + 150);     // held: the low layer goes on
        sink.Budget = 80_000;
        for (long t = now + 150 + LayerSelector.HoldGrace; t <= now + 1150 + LayerSelector.HoldGrace; t += 100)
        {
            Measure(producer, t, 150_000, 500_000, 1_500_000);
            consumer.Send(Vp8((ushort)(304 + ((t - now) / 100)), 8000 + (uint)(t - now), key: true, 8), 0, t);
        }

        Assert.True(consumer.IsPaused);
        int sentBeforeResume = sink.Rtp.Count;
        Assert.Equal(6, sentBeforeResume);

        // The budget fits the low layer with headroom again; after the resume delay, at a key frame, it resumes.
        sink.Budget = 250_000;
        long resumeStart = now + 1300 + LayerSelector.HoldGrace;
        ushort sequence = 400;
        for (long t = resumeStart; t <= resumeStart + LayerSelector.ResumeDelay; t += 100)
        {
            Measure(producer, t, 150_000, 500_000, 1_500_000);
            consumer.Send(Vp8(sequence++, 20_000, key: false, 9), 0, t);
        }

        Assert.Equal(sentBeforeResume, sink.Rtp.Count);                  // no key frame yet: still nothing
        long resumedAt = resumeStart + LayerSelector.ResumeDelay + 50;
        consumer.Send(Vp8(sequence++, 30_000, key: true, 10), 0, resumedAt);
        consumer.Send(Vp8(sequence++, 33_000, key: false, 11), 0, resumedAt + 33);
        Assert.False(consumer.IsPaused);

        Assert.Equal([1, 2, 3, 5, 7, 12, 10, 11], sink.Rtp.Select(p => (int)p.Marker));
        Assert.Equal([7000, 7001, 7002, 7003, 7004, 7005, 7006, 7007], sink.Rtp.Select(p => (int)p.Sequence));
        // Timestamps: the high layer's own, then 14 ms (1260 ticks) after the last sent, then the low layer's
        // spacing; after the pause, the time since the last packet sent (+150 ms) at 90 kHz.
        uint atSwitch = 96_000 + 1260;
        uint beforePause = atSwitch + 3000;
        uint afterPause = beforePause + (uint)((resumedAt - (now + 150)) * 90);
        Assert.Equal([90_000u, 93_000u, 96_000u, atSwitch, beforePause, beforePause, afterPause, afterPause + 3000], sink.Rtp.Select(p => p.Timestamp));
        Assert.Equal([(-1, 2), (2, 0), (0, -1), (-1, 0)], sink.Changes);
    }

    [Fact]
    public void A_nack_is_answered_from_the_layer_being_sent_and_not_for_packets_from_before_the_last_switch()
    {
        (Producer producer, Consumer consumer, Sink sink) = Simulcast("low", "high");
        producer.AddConsumer(consumer);
        long now = 300_000;
        producer.Forward(Vp8(100, 1000, key: true, 1), producer.Layers[0], now);        // only low is active: low
        producer.Forward(Vp8(101, 4000, key: false, 2), producer.Layers[0], now + 33);
        producer.Forward(Vp8(8999, 47_000, key: false, 9), producer.Layers[1], now + 36); // high starts: its key frame is awaited
        producer.Forward(Vp8(9000, 50_000, key: true, 3), producer.Layers[1], now + 40); // switch
        producer.Forward(Vp8(9001, 53_000, key: false, 4), producer.Layers[1], now + 73);
        Assert.Equal([100, 101, 102, 103], sink.Rtp.Select(p => (int)p.Sequence));

        // 101 was a low-layer packet; with the high layer's offset it would name 8999, which the subscriber never got.
        Assert.False(consumer.Retransmit(101, now + 80));
        Assert.True(consumer.Retransmit(103, now + 80));
        Assert.Equal((ushort)103, sink.Rtp[^1].Sequence);
        Assert.Equal((byte)4, sink.Rtp[^1].Marker);
        Assert.False(consumer.Retransmit(104, now + 80));   // not sent yet
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
