using Microsoft.Extensions.Time.Testing;
using Parley.Rtp.Rtcp;
using Parley.Sdp;
using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>Key-frame requests to a publisher: at most one PLI a second per layer, and one asked for within that second
/// is sent when it ends rather than lost.</summary>
public sealed class KeyFrameRequestTests
{
    private sealed class Publisher : IPublisherFeedback
    {
        public List<uint> Plis { get; } = [];

        public uint RtcpSsrc => 1;

        public void SendRtcp(ReadOnlySpan<byte> plain)
        {
            Assert.True(PictureLossIndication.TryRead(plain, out PictureLossIndication pli));
            Plis.Add(pli.MediaSsrc);
        }
    }

    private static byte[] Packet(ushort sequence) => [0x80, 96, (byte)(sequence >> 8), (byte)sequence, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x10, 0x01, 0, 0];

    [Fact]
    public void A_request_within_a_second_of_the_last_is_sent_with_the_first_packet_after_the_second()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var publisher = new Publisher();
        var description = new ProducerDescription("1", MediaKind.Video, new Codec(96, "VP8", 90000), 0x1234, null, "c", "s", "t", []);
        var producer = new Producer(description, publisher, time);
        SimulcastLayer layer = producer.Layers[0];

        producer.RequestKeyFrame();                       // the first subscriber connects
        time.Advance(TimeSpan.FromMilliseconds(200));
        producer.RequestKeyFrame();                       // a second one, too soon: held
        producer.Forward(Packet(1), layer, producer.Now);
        Assert.Equal([0x1234u], publisher.Plis);

        time.Advance(TimeSpan.FromMilliseconds(800));
        producer.Forward(Packet(2), layer, producer.Now); // the second has passed: the held request goes out
        Assert.Equal([0x1234u, 0x1234u], publisher.Plis);
        producer.Forward(Packet(3), layer, producer.Now); // once
        time.Advance(TimeSpan.FromSeconds(2));
        producer.Forward(Packet(4), layer, producer.Now);
        Assert.Equal(2, publisher.Plis.Count);
    }

    [Fact]
    public void A_key_frame_arriving_meanwhile_answers_the_held_request()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var publisher = new Publisher();
        var description = new ProducerDescription("1", MediaKind.Video, new Codec(96, "VP8", 90000), 0x1234, null, "c", "s", "t", []);
        var producer = new Producer(description, publisher, time);
        producer.RequestKeyFrame();
        time.Advance(TimeSpan.FromMilliseconds(200));
        producer.RequestKeyFrame();
        byte[] keyFrame = Packet(1);
        keyFrame[13] = 0x00; // VP8 payload header: P bit clear
        producer.Forward(keyFrame, producer.Layers[0], producer.Now);
        time.Advance(TimeSpan.FromSeconds(1));
        producer.Forward(Packet(2), producer.Layers[0], producer.Now);
        Assert.Single(publisher.Plis);
    }

    [Fact]
    public void Audio_is_never_asked_for_a_key_frame()
    {
        var publisher = new Publisher();
        var description = new ProducerDescription("0", MediaKind.Audio, new Codec(111, "opus", 48000, 2), 0x99, null, "c", "s", "t", []);
        var producer = new Producer(description, publisher, new FakeTimeProvider());
        producer.RequestKeyFrame();
        producer.Forward(Packet(1), producer.Layers[0], producer.Now);
        Assert.Empty(publisher.Plis);
    }
}
