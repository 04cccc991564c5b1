using Parley.Rtp;
using Parley.Rtp.Rtcp;

namespace Parley.Sfu.Media;

/// <summary>
/// One incoming track of a publisher, with its encodings (one, or a layer per simulcast rid, lowest first): forwards
/// each RTP packet to every consumer (each picks the layer it sends on with its <see cref="LayerSelector"/>), keeps
/// recent packets for retransmission, and turns key-frame requests into at most one PLI per layer per second (as
/// mediasoup does), so a room of subscribers does not flood the encoder; a request within that second is sent when it
/// ends, with the layer's next packet, unless a key frame came meanwhile.
/// </summary>
internal sealed class Producer
{
    /// <summary>A layer that sent nothing for this long is considered stopped (the browser pauses layers when its
    /// bandwidth estimate drops).</summary>
    public const long LayerTimeout = 1500;

    private const long KeyFrameInterval = 1000;

    private readonly TimeProvider _time;
    private Consumer[] _consumers = [];

    public Producer(ProducerDescription description, IPublisherFeedback owner, TimeProvider time)
    {
        Description = description;
        Owner = owner;
        _time = time;
        bool video = description.Kind == MediaKind.Video;
        Layers = description.Layers.Count > 0
            ? [.. description.Layers.Select((rid, i) => new SimulcastLayer(i, rid, null, null, video, description.Codec.ClockRate))]
            : [new SimulcastLayer(0, null, description.Ssrc, description.RtxSsrc, video, description.Codec.ClockRate)];
    }

    public ProducerDescription Description { get; }

    public IPublisherFeedback Owner { get; }

    public IReadOnlyList<SimulcastLayer> Layers { get; }

    public bool IsSimulcast => Layers.Count > 1;

    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    /// <summary>Milliseconds on the producer's clock.</summary>
    public long Now => _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    public void AddConsumer(Consumer consumer) => Swap(list => [.. list, consumer]);

    public void RemoveConsumer(Consumer consumer) => Swap(list => [.. list.Where(c => c != consumer)]);

    /// <summary>On the receive loop: one plain RTP packet of <paramref name="layer"/> to every consumer.</summary>
    public void Forward(ReadOnlySpan<byte> plain, SimulcastLayer layer, long now)
    {
        layer.LastPacketAt = now;
        if (layer.KeyFrameRequestPending)
        {
            // A request that came too soon after the previous one: a key frame arriving meanwhile answers it, else it
            // is sent once the interval is over.
            if (RtpPacket.TryRead(plain, out RtpPacket packet) && KeyFrame.Starts(Description.Codec.Name, packet.Payload))
            {
                layer.KeyFrameRequestPending = false;
            }
            else if (now - layer.LastKeyFrameRequest >= KeyFrameInterval)
            {
                RequestKeyFrame(layer.Index);
            }
        }

        layer.Count(plain.Length, now);
        layer.Cache?.Store(plain);
        foreach (Consumer consumer in Volatile.Read(ref _consumers))
        {
            consumer.Send(plain, layer.Index, now);
        }
    }

    /// <summary>Asks the publisher for a key frame on every layer (video only), each at most once per second.</summary>
    public void RequestKeyFrame()
    {
        foreach (SimulcastLayer layer in Layers)
        {
            RequestKeyFrame(layer.Index);
        }
    }

    public void RequestKeyFrame(int layerIndex)
    {
        SimulcastLayer layer = Layers[layerIndex];
        if (Description.Kind != MediaKind.Video || layer.Ssrc is not { } ssrc)
        {
            return;
        }

        long now = Now;
        lock (layer)
        {
            if (now - layer.LastKeyFrameRequest < KeyFrameInterval)
            {
                // Not dropped: a subscriber that joined just after another (and may never ask itself, as aiortc
                // does not) still gets its key frame, with the layer's next packet once the interval is over.
                layer.KeyFrameRequestPending = true;
                return;
            }

            layer.LastKeyFrameRequest = now;
            layer.KeyFrameRequestPending = false;
        }

        Span<byte> pli = stackalloc byte[PictureLossIndication.EncodedLength];
        if (new PictureLossIndication(Owner.RtcpSsrc, ssrc).TryWrite(pli, out int length))
        {
            Owner.SendRtcp(pli[..length]);
            layer.Statistics.PlisSent++;
        }
    }

    private void Swap(Func<Consumer[], Consumer[]> change)
    {
        Consumer[] current, next;
        do
        {
            current = Volatile.Read(ref _consumers);
            next = change(current);
        }
        while (Interlocked.CompareExchange(ref _consumers, next, current) != current);
    }
}
