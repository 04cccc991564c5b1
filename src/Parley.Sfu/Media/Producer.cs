using Parley.Rtp.Rtcp;

namespace Parley.Sfu.Media;

/// <summary>
/// One incoming track of a publisher: forwards each of its RTP packets to every consumer, and turns subscribers'
/// key-frame requests into at most one PLI to the publisher per interval (as mediasoup does), so a room of
/// subscribers does not flood the encoder.
/// </summary>
internal sealed class Producer(ProducerDescription description, PublisherEndpoint owner, TimeProvider time)
{
    private static readonly long KeyFrameInterval = 1000;
    private Consumer[] _consumers = [];
    private long _lastKeyFrameRequest = long.MinValue / 2;

    public ProducerDescription Description { get; } = description;

    public PublisherEndpoint Owner { get; } = owner;

    /// <summary>The SSRC media arrives with: from the offer's a=ssrc, or learned from the first packets.</summary>
    public uint? Ssrc { get; set; } = description.Ssrc;

    public uint? RtxSsrc { get; set; } = description.RtxSsrc;

    public long PacketsForwarded { get; private set; }

    /// <summary>Recent packets of a video track, for retransmission on NACK; null for audio (Opus has its own FEC).</summary>
    public PacketCache? Cache { get; } = description.Kind == MediaKind.Video ? new PacketCache() : null;

    public long Retransmissions { get; private set; }

    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    public void AddConsumer(Consumer consumer) => Swap(list => [.. list, consumer]);

    public void RemoveConsumer(Consumer consumer) => Swap(list => [.. list.Where(c => c != consumer)]);

    /// <summary>On the receive loop: one plain RTP packet of this track to every consumer.</summary>
    public void Forward(ReadOnlySpan<byte> plain)
    {
        PacketsForwarded++;
        Cache?.Store(plain);
        foreach (Consumer consumer in Volatile.Read(ref _consumers))
        {
            consumer.Send(plain);
        }
    }

    /// <summary>On the receive loop: resends the cached packet <paramref name="sequenceNumber"/> to one consumer.</summary>
    public bool Retransmit(Consumer consumer, ushort sequenceNumber)
    {
        ReadOnlySpan<byte> packet = Cache is null ? default : Cache.Find(sequenceNumber);
        if (packet.IsEmpty)
        {
            return false;
        }

        Retransmissions++;
        consumer.Send(packet);
        return true;
    }

    /// <summary>Asks the publisher for a key frame (video only), at most once per second.</summary>
    public void RequestKeyFrame()
    {
        if (Description.Kind != MediaKind.Video || Ssrc is not { } ssrc)
        {
            return;
        }

        long now = time.GetTimestamp() * 1000 / time.TimestampFrequency;
        long last = Interlocked.Read(ref _lastKeyFrameRequest);
        if (now - last < KeyFrameInterval || Interlocked.CompareExchange(ref _lastKeyFrameRequest, now, last) != last)
        {
            return;
        }

        Span<byte> pli = stackalloc byte[PictureLossIndication.EncodedLength];
        if (new PictureLossIndication(Owner.RtcpSsrc, ssrc).TryWrite(pli, out int length))
        {
            Owner.SendRtcp(pli[..length]);
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
