using Parley.Rtp;

namespace Parley.Sfu.Media;

/// <summary>
/// One outgoing track of a subscriber: a producer's packets under the consumer's SSRC and the payload type the
/// subscriber knows the codec by. For video a <see cref="LayerSelector"/> picks, from the share of the subscriber's
/// bandwidth estimate its owner gives it, the simulcast layer to send or whether to pause: it moves to a layer only
/// at a key frame of that layer (asking for one; packets of the layer it leaves keep flowing meanwhile), resumes
/// after a pause only at a key frame too, and rewrites sequence numbers and timestamps so the subscriber sees one
/// continuous stream across switches and pauses (no gap in sequence numbers to ask for again; timestamps advanced by
/// the time that passed). State is touched only on the media port's receive loop.
/// </summary>
internal sealed class Consumer(ConsumerDescription description, IMediaSink owner, Producer producer)
{
    private readonly byte _payloadType = (byte)description.PayloadType;
    private readonly uint _clockRate = description.Producer.Codec.ClockRate;
    private readonly byte _absSendTimeId = description.SharedExtensionIds.Contains(description.Producer.ExtensionId(Parley.Sdp.Extmap.AbsSendTime))
        ? description.Producer.ExtensionId(Parley.Sdp.Extmap.AbsSendTime)
        : (byte)0;
    private readonly LayerSelector? _selector = description.Producer.Kind == MediaKind.Video ? new LayerSelector() : null;
    private readonly BitrateMeter _sent = new();
    private int _current = -1;
    private bool _paused;
    private ushort _sequenceOffset;
    private ushort _segmentStart;
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

    public bool IsVideo => _selector is not null;

    /// <summary>The layer being sent (or last sent, while paused), or -1 before the first packet.</summary>
    public int CurrentLayer => _current;

    /// <summary>Whether video is held back because the subscriber's link cannot take even the lowest layer.</summary>
    public bool IsPaused => _paused;

    /// <summary>What this consumer sent over the last second, bits per second (0 when it sent nothing lately).</summary>
    public long SentBitrate(long now) => _sent.BitrateAt(now);

    public void Send(ReadOnlySpan<byte> plain, int layer, long now)
    {
        if (_selector is not null)
        {
            int target = _selector.Update(Producer.Layers, Owner.VideoBudget(now), now);
            if (target < 0)
            {
                if (_started && !_paused && _selector.Paused)
                {
                    _paused = true;
                    Owner.OnLayerChanged(this, _current, -1);
                }

                return;
            }

            if (layer != target)
            {
                if (target != _current || _paused)
                {
                    Producer.RequestKeyFrame(target); // throttled per layer
                }

                if (layer != _current || _paused)
                {
                    return;
                }
            }
            else if (layer != _current || _paused)
            {
                // A switch, or a resume: only at a key frame, unless it is the first packet of a single encoding
                // (which starts at once; the subscriber asked for a key frame on connecting).
                bool needsKeyFrame = Producer.IsSimulcast || _paused;
                if (needsKeyFrame && (!RtpPacket.TryRead(plain, out RtpPacket packet) || !KeyFrame.Starts(Description.Producer.Codec.Name, packet.Payload)))
                {
                    Producer.RequestKeyFrame(target);
                    return;
                }

                int previous = _paused ? -1 : _current;
                Continue(plain, layer, now);
                _paused = false;
                Owner.OnLayerChanged(this, previous, layer);
            }
        }
        else if (layer != _current)
        {
            Continue(plain, layer, now);
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
        _sent.Count(plain.Length, now);
        Owner.SendRtp(plain, Description.Ssrc, _payloadType, sequence, timestamp, _absSendTimeId);
        Statistics.OnSent(plain.Length, retransmission: false);
    }

    /// <summary>Resends a packet the subscriber lost, found by the sequence number it knows it by. Only packets
    /// since the last switch (or resume) are found: earlier ones were numbered with another offset, from another
    /// layer's cache.</summary>
    public bool Retransmit(ushort subscriberSequence, long now)
    {
        if (_current < 0 || Producer.Layers[_current].Cache is not { } cache
            || (ushort)(subscriberSequence - _segmentStart) >= 0x8000)
        {
            return false;
        }

        ReadOnlySpan<byte> packet = cache.Find((ushort)(subscriberSequence - _sequenceOffset));
        if (packet.IsEmpty)
        {
            return false;
        }

        _sent.Count(packet.Length, now);
        Owner.SendRtp(packet, Description.Ssrc, _payloadType, subscriberSequence, RtpHeaderTimestamp(packet) + _timestampOffset, _absSendTimeId);
        Statistics.OnSent(packet.Length, retransmission: true);
        return true;
    }

    /// <summary>The timestamp offset of the layer being sent (for sender reports), when <paramref name="layer"/> is it.</summary>
    public bool TryGetTimestampOffset(int layer, out uint offset)
    {
        offset = _timestampOffset;
        return layer == _current;
    }

    /// <summary>Starts sending <paramref name="layer"/> from <paramref name="plain"/> on: once something was sent,
    /// with the next sequence number and a timestamp advanced by the time since the last packet sent.</summary>
    private void Continue(ReadOnlySpan<byte> plain, int layer, long now)
    {
        if (_started)
        {
            long elapsed = Math.Max(1, now - _lastSentAt);
            uint gap = (uint)Math.Max(1, elapsed * _clockRate / 1000);
            _sequenceOffset = (ushort)(_lastSequence + 1 - RtpHeaderSequence(plain));
            _timestampOffset = _lastTimestamp + gap - RtpHeaderTimestamp(plain);
        }

        _segmentStart = (ushort)(RtpHeaderSequence(plain) + _sequenceOffset);
        _current = layer;
    }

    private static ushort RtpHeaderSequence(ReadOnlySpan<byte> packet) => (ushort)((packet[2] << 8) | packet[3]);

    private static uint RtpHeaderTimestamp(ReadOnlySpan<byte> packet) =>
        (uint)((packet[4] << 24) | (packet[5] << 16) | (packet[6] << 8) | packet[7]);
}
