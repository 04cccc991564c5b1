using Parley.Rtp;

namespace Parley.Sfu.Media;

/// <summary>
/// One outgoing track of a subscriber: a producer's packets under the consumer's SSRC and the payload type the
/// subscriber knows the codec by. With simulcast it follows the best layer the publisher is sending that fits the
/// subscriber's bandwidth estimate (its REMB): it moves to a layer only at a key frame of that layer (asking for
/// one), and rewrites sequence numbers and timestamps so the subscriber sees one continuous stream across switches.
/// State is touched only on the media port's receive loop.
/// </summary>
internal sealed class Consumer(ConsumerDescription description, IMediaSink owner, Producer producer)
{
    private readonly byte _payloadType = (byte)description.PayloadType;
    private readonly uint _clockRate = description.Producer.Codec.ClockRate;
    private readonly byte _absSendTimeId = description.SharedExtensionIds.Contains(description.Producer.ExtensionId(Parley.Sdp.Extmap.AbsSendTime))
        ? description.Producer.ExtensionId(Parley.Sdp.Extmap.AbsSendTime)
        : (byte)0;
    private int _current = -1;
    private ushort _sequenceOffset;
    private uint _timestampOffset;
    private ushort _lastSequence;
    private uint _lastTimestamp;
    private long _lastSentAt;
    private bool _started;

    public ConsumerDescription Description { get; } = description;

    public IMediaSink Owner { get; } = owner;

    public Producer Producer { get; } = producer;

    /// <summary>What was sent on this stream and what the subscriber reported of it.</summary>
    public SendStatistics Statistics { get; } = new(description.Producer.Codec.ClockRate);

    /// <summary>The layer being sent, or -1 before the first packet.</summary>
    public int CurrentLayer => _current;

    public void Send(ReadOnlySpan<byte> plain, int layer, long now)
    {
        if (layer != _current && !TrySwitch(plain, layer, now))
        {
            return;
        }

        ushort sequence = (ushort)(RtpHeaderSequence(plain) + _sequenceOffset);
        uint timestamp = RtpHeaderTimestamp(plain) + _timestampOffset;
        if (!_started || SequenceNumbers.IsNewer(sequence, _lastSequence))
        {
            _lastSequence = sequence;
            _lastTimestamp = timestamp;
            _started = true;
        }

        _lastSentAt = now;
        Owner.SendRtp(plain, Description.Ssrc, _payloadType, sequence, timestamp, _absSendTimeId);
        Statistics.OnSent(plain.Length, retransmission: false, now);
    }

    /// <summary>Resends a packet the subscriber lost, found by the sequence number it knows it by.</summary>
    public bool Retransmit(ushort subscriberSequence)
    {
        if (_current < 0 || Producer.Layers[_current].Cache is not { } cache)
        {
            return false;
        }

        ReadOnlySpan<byte> packet = cache.Find((ushort)(subscriberSequence - _sequenceOffset));
        if (packet.IsEmpty)
        {
            return false;
        }

        Producer.Retransmissions++;
        Owner.SendRtp(packet, Description.Ssrc, _payloadType, subscriberSequence, RtpHeaderTimestamp(packet) + _timestampOffset, _absSendTimeId);
        Statistics.OnSent(packet.Length, retransmission: true, Producer.Now);
        return true;
    }

    /// <summary>The timestamp offset of the layer being sent (for sender reports), when <paramref name="layer"/> is it.</summary>
    public bool TryGetTimestampOffset(int layer, out uint offset)
    {
        offset = _timestampOffset;
        return layer == _current;
    }

    private bool TrySwitch(ReadOnlySpan<byte> plain, int layer, long now)
    {
        if (Producer.IsSimulcast)
        {
            int target = Producer.BestLayerFor(Owner.EstimatedBitrate, now);
            if (layer != target)
            {
                if (target >= 0 && target != _current)
                {
                    Producer.RequestKeyFrame(target); // throttled per layer
                }

                return false;
            }

            if (!RtpPacket.TryRead(plain, out RtpPacket packet) || !KeyFrame.Starts(Description.Producer.Codec.Name, packet.Payload))
            {
                Producer.RequestKeyFrame(target);
                return false;
            }
        }

        if (_started)
        {
            // Continue where the previous layer stopped: the next sequence number, and the time that has passed.
            long elapsed = Math.Max(1, now - _lastSentAt);
            uint gap = (uint)Math.Max(1, elapsed * _clockRate / 1000);
            _sequenceOffset = (ushort)(_lastSequence + 1 - RtpHeaderSequence(plain));
            _timestampOffset = _lastTimestamp + gap - RtpHeaderTimestamp(plain);
        }

        _current = layer;
        return true;
    }

    private static ushort RtpHeaderSequence(ReadOnlySpan<byte> packet) => (ushort)((packet[2] << 8) | packet[3]);

    private static uint RtpHeaderTimestamp(ReadOnlySpan<byte> packet) =>
        (uint)((packet[4] << 24) | (packet[5] << 16) | (packet[6] << 8) | packet[7]);
}
