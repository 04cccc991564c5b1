using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Parley.Rtp;
using Parley.Rtp.Rtcp;
using Parley.Sdp;
using Parley.Sfu.Media;
using Parley.WebRtc;

namespace Parley.Sfu.Tests;

/// <summary>A subscriber's REMB and receiver reports set its estimate; video gets what audio leaves of it, and a
/// video consumer paused for lack of bandwidth leaves the audio consumer sending.</summary>
public sealed class SubscriberEndpointTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private WebRtcServer _server = null!;

    public Task InitializeAsync()
    {
        _server = WebRtcServer.Start(new WebRtcServerOptions { Port = 0 }, _time, NullLoggerFactory.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private long Now => _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    private static void Remb(SubscriberEndpoint endpoint, ulong bitrate)
    {
        var remb = ReceiverEstimatedMaxBitrate.Create(1, bitrate, new SsrcList([0xBEEF]));
        Span<byte> packet = stackalloc byte[remb.GetEncodedLength()];
        Assert.True(remb.TryWrite(packet, out int written));
        endpoint.OnFeedback(packet[..written]);
    }

    private static void ReceiverReport(SubscriberEndpoint endpoint, params ReportBlock[] blocks)
    {
        var report = new ReceiverReport { Ssrc = 1, ReportBlocks = new RtcpItemList<ReportBlock>(blocks) };
        Span<byte> packet = stackalloc byte[report.GetEncodedLength()];
        Assert.True(report.TryWrite(packet, out int written));
        endpoint.OnFeedback(packet[..written]);
    }

    private static byte[] Packet(ushort sequence, uint timestamp, int length, bool key = true)
    {
        byte[] packet = new byte[length];
        packet[0] = 0x80;
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        packet[12] = 0x10;
        packet[13] = (byte)(key ? 0x00 : 0x01);
        return packet;
    }

    [Fact]
    public void Video_gets_the_estimate_less_what_audio_sends_and_is_paused_while_audio_goes_on()
    {
        var audioDescription = new ProducerDescription("0", MediaKind.Audio, new Codec(111, "opus", 48000, 2), 10, null, "c", "s", "a", []);
        var videoDescription = new ProducerDescription("1", MediaKind.Video, new Codec(96, "VP8", 90000), 20, null, "c", "s", "v", []);
        var audio = new Producer(audioDescription, null!, _time);
        var video = new Producer(videoDescription, null!, _time);
        using var endpoint = new SubscriberEndpoint("sub", _server.CreateTransport(null, null), _time, NullLogger.Instance);
        var audioConsumer = new Consumer(new ConsumerDescription("0", audioDescription, 111, 0xA0, new HashSet<byte>()), endpoint, audio);
        var videoConsumer = new Consumer(new ConsumerDescription("1", videoDescription, 96, 0xB0, new HashSet<byte>()), endpoint, video);
        endpoint.Attach([audioConsumer, videoConsumer]);
        Assert.Equal(0, endpoint.VideoBudget(Now));                  // unknown: video is not limited

        // Two seconds of audio at 50 kbit/s and video at 500 kbit/s.
        Forward(audio, video, 0, 200);

        long t = Now;
        Assert.InRange(audioConsumer.SentBitrate(t), 49_000, 51_000);
        Assert.InRange(videoConsumer.SentBitrate(t), 495_000, 505_000);
        Assert.InRange(audio.Layers[0].Bitrate, 49_000, 51_000);

        Remb(endpoint, 1_000_000);
        Assert.Equal(0, endpoint.EstimatedBitrate);                   // no sign of congestion yet
        Remb(endpoint, 800_000);
        Assert.Equal(800_000, endpoint.EstimatedBitrate);
        Assert.Equal(800_000 - audioConsumer.SentBitrate(t), endpoint.VideoBudget(t));

        // A receiver report with half the video lost cuts the estimate to what was sent × 0.75; audio's loss does
        // not count.
        ReceiverReport(endpoint, new ReportBlock(0xA0, 255, 0, 0, 0, 0, 0), new ReportBlock(0xB0, 128, 0, 0, 0, 0, 0));
        long sent = audioConsumer.SentBitrate(t) + videoConsumer.SentBitrate(t);
        Assert.Equal(sent * 3 / 4, endpoint.EstimatedBitrate);

        // The subscriber's REMB collapses to 200 kbit/s: 150 k for video, well below half the 500 k it carries. It
        // is still sent for the hold's grace; when the REMB falls further, the next video packet finds it paused
        // (and is not sent), and audio goes on.
        Remb(endpoint, 200_000);
        Forward(audio, video, 201, 200 + (int)(LayerSelector.HoldGrace / 10));
        Assert.False(videoConsumer.IsPaused);
        Assert.InRange(videoConsumer.SentBitrate(Now), 495_000, 505_000);
        Remb(endpoint, 120_000);
        Forward(audio, video, 1000, 1200);
        Assert.True(videoConsumer.IsPaused);
        Assert.Equal(0, videoConsumer.SentBitrate(Now));                // nothing went out for video for two seconds
        Assert.InRange(audioConsumer.SentBitrate(Now), 49_000, 51_000); // audio did
    }

    /// <summary>Packets <paramref name="first"/> to <paramref name="last"/>, 10 ms apart: video each time (625 bytes,
    /// 500 kbit/s), audio every other time (125 bytes, 50 kbit/s).</summary>
    private void Forward(Producer audio, Producer video, int first, int last)
    {
        for (int i = first; i <= last; i++)
        {
            long now = Now;
            if (i % 2 == 0)
            {
                audio.Forward(Packet((ushort)i, (uint)(i * 480), 125), audio.Layers[0], now);
            }

            video.Forward(Packet((ushort)i, (uint)(i * 900), 625, key: i == 0), video.Layers[0], now);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }
    }
}
