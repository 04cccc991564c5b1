using Microsoft.Extensions.Logging;
using Parley.Rtp;
using Parley.Rtp.Rtcp;
using Parley.Sdp;
using Parley.WebRtc;

namespace Parley.Sfu.Media;

/// <summary>
/// A publisher's peer connection: its producers and their layers, found by SSRC. SSRCs the offer did not declare
/// (simulcast always; some browsers otherwise) are learned from the first packets' header extensions: the mid names
/// the track, the rid (or repaired rid, for RTX) the layer; without a rid, the codec's payload type binds the media
/// SSRC and the RTX payload type the retransmission SSRC. It asks the publisher again for video packets lost on the
/// way in (NACK) and forwards what it retransmits, sends it transport-wide congestion feedback, and passes its
/// sender reports on to the consumers.
/// </summary>
internal sealed class PublisherEndpoint : MediaEndpoint, IPublisherFeedback
{
    private readonly Dictionary<uint, (Producer Producer, SimulcastLayer Layer, bool Rtx)> _bySsrc = [];
    private readonly TimeProvider _time;
    private readonly TwccFeedbackGenerator? _twcc;
    private readonly byte _twccExtensionId;
    private readonly byte[] _feedbackBuffer = new byte[1200];
    private readonly byte[] _unwrapped = new byte[1500];
    private readonly ushort[] _lost = new ushort[128];
    private readonly NackPair[] _nackPairs = new NackPair[128];
    private readonly ReportBlock[] _reportBlocks = new ReportBlock[31];
    private readonly SendRtcp _sendRtcp;
    private long _lastReceiverReportAt = long.MinValue / 2;

    /// <summary>How often the server reports reception to the publisher (ms).</summary>
    private const long ReceiverReportInterval = 1000;

    public PublisherEndpoint(string id, WebRtcTransport transport, IReadOnlyList<ProducerDescription> producers, TimeProvider time, ILogger log)
        : base(id, transport, log)
    {
        _time = time;
        Producers = [.. producers.Select(p => new Producer(p, this, time))];
        foreach (Producer producer in Producers)
        {
            SimulcastLayer only = producer.Layers[0];
            if (!producer.IsSimulcast && only.Ssrc is { } ssrc)
            {
                _bySsrc[ssrc] = (producer, only, false);
            }

            if (!producer.IsSimulcast && only.RtxSsrc is { } rtx)
            {
                _bySsrc[rtx] = (producer, only, true);
            }
        }

        _twccExtensionId = producers.Select(p => p.ExtensionId(Extmap.TransportWideCc)).FirstOrDefault(e => e != 0);
        _twcc = _twccExtensionId != 0 ? new TwccFeedbackGenerator(RtcpSsrc) : null;
        _sendRtcp = SendRtcp; // made once: a method group passed per flush would be a delegate per flush
    }

    public IReadOnlyList<Producer> Producers { get; }

    /// <summary>The SSRC the server's RTCP to this publisher is sent from.</summary>
    public uint RtcpSsrc { get; } = Negotiation.SubscribeAnswer.RandomSsrc();

    /// <summary>Whether the publisher gets transport-wide congestion control feedback (it negotiated transport-cc).</summary>
    public bool SendsTransportFeedback => _twcc is not null;

    protected override void OnRtp(ReadOnlySpan<byte> plain)
    {
        if (!RtpPacket.TryRead(plain, out RtpPacket packet))
        {
            return;
        }

        if (!_bySsrc.TryGetValue(packet.Ssrc, out var source) && !TryLearn(packet, out source))
        {
            return;
        }

        long ticks = _time.GetTimestamp(); // one clock read per packet, for feedback, statistics and forwarding
        if (_twcc is not null && packet.Extension.TryGet(_twccExtensionId, out TransportSequenceNumber sequence))
        {
            TimeSpan arrival = _time.GetElapsedTime(0, ticks);
            _twcc.OnPacket(sequence.Value, arrival);
            if (_twcc.IsDue(arrival))
            {
                _twcc.Flush(arrival, packet.Ssrc, _feedbackBuffer, _sendRtcp);
            }
        }

        long now = ticks * 1000 / _time.TimestampFrequency; // the producer's clock (Producer.Now)
        if (source.Rtx)
        {
            // A retransmission the server asked for: restored to the original stream and forwarded like it.
            if (source.Layer.Ssrc is not { } original
                || !RtxPacket.TryUnwrap(plain, _unwrapped, original, (byte)source.Producer.Description.Codec.PayloadType, out int length))
            {
                return; // padding-only probes carry no original packet
            }

            plain = _unwrapped.AsSpan(0, length);
        }

        bool fresh = true;
        if (source.Layer.Nacks is { } nacks)
        {
            fresh = nacks.OnPacket((ushort)((plain[2] << 8) | plain[3]), now);
            SendNacks(source.Layer, nacks, now);
        }

        if (fresh)
        {
            source.Layer.Statistics.OnPacket(plain, ticks, _time.TimestampFrequency, source.Rtx);
        }

        if (now - _lastReceiverReportAt >= ReceiverReportInterval)
        {
            _lastReceiverReportAt = now;
            SendReceiverReport(now);
        }

        if (fresh)
        {
            // Not a copy of a packet already forwarded (a publisher's probe padding): subscribers have those.
            source.Producer.Forward(plain, source.Layer, now);
        }
    }

    private void SendNacks(SimulcastLayer layer, NackGenerator nacks, long now)
    {
        if (nacks.Missing == 0 || layer.Ssrc is not { } ssrc)
        {
            return;
        }

        int count = nacks.Collect(now, _lost);
        if (count == 0 || !GenericNack.TryCreatePairs(_lost.AsSpan(0, count), _nackPairs, out int pairs))
        {
            return;
        }

        var nack = new GenericNack(RtcpSsrc, ssrc, new RtcpItemList<NackPair>(_nackPairs.AsSpan(0, pairs)));
        Span<byte> packet = stackalloc byte[nack.GetEncodedLength()];
        if (nack.TryWrite(packet, out int written))
        {
            SendRtcp(packet[..written]);
            layer.Statistics.NacksSent++;
        }
    }

    /// <summary>
    /// A receiver report on every encoding heard from (RFC 3550 §6.4.2), once a second: the publisher's browser
    /// learns the loss and jitter on its way to the server and the round trip (its remote-inbound-rtp statistics).
    /// </summary>
    private void SendReceiverReport(long now)
    {
        int count = 0;
        for (int p = 0; p < Producers.Count; p++) // indexed: a foreach over the list interfaces would box enumerators
        {
            Producer producer = Producers[p];
            for (int i = 0; i < producer.Layers.Count; i++)
            {
                SimulcastLayer layer = producer.Layers[i];
                if (count < _reportBlocks.Length && layer.Ssrc is { } ssrc
                    && layer.Statistics.TryCreateReportBlock(ssrc, now, out ReportBlock block))
                {
                    _reportBlocks[count++] = block;
                }
            }
        }

        if (count == 0)
        {
            return;
        }

        var report = new ReceiverReport { Ssrc = RtcpSsrc, ReportBlocks = new RtcpItemList<ReportBlock>(_reportBlocks.AsSpan(0, count)) };
        Span<byte> packet = stackalloc byte[report.GetEncodedLength()];
        if (report.TryWrite(packet, out int written))
        {
            SendRtcp(packet[..written]);
        }
    }

    /// <summary>
    /// Sender reports go on to every consumer sending that layer, under the consumer's SSRC, with its timestamp
    /// offset and without the publisher's report blocks (those are about what the publisher receives): subscribers
    /// need them to synchronise audio with video. SDES and BYE stay here.
    /// </summary>
    protected override void OnRtcp(ReadOnlySpan<byte> plain)
    {
        if (!RtcpCompoundPacket.TryRead(plain, out RtcpCompoundPacket compound))
        {
            return;
        }

        Span<byte> forwarded = stackalloc byte[SenderReport.MinLength];
        foreach (RtcpPacket packet in compound)
        {
            if (packet.PacketType != RtcpPacketType.SenderReport
                || !SenderReport.TryRead(packet.Raw, out SenderReport report)
                || !_bySsrc.TryGetValue(report.Ssrc, out var source) || source.Rtx)
            {
                continue;
            }

            long now = source.Producer.Now;
            source.Layer.Statistics.OnSenderReport(report.CompactNtpTimestamp, now);

            foreach (Consumer consumer in source.Producer.Consumers)
            {
                if (!consumer.TryGetTimestampOffset(source.Layer.Index, out uint offset))
                {
                    continue;
                }

                var copy = new SenderReport
                {
                    Ssrc = consumer.Description.Ssrc,
                    NtpTimestamp = report.NtpTimestamp,
                    RtpTimestamp = report.RtpTimestamp + offset,
                    PacketCount = report.PacketCount,
                    OctetCount = report.OctetCount,
                };
                if (copy.TryWrite(forwarded, out int length))
                {
                    consumer.Owner.SendRtcp(forwarded[..length]);
                    consumer.Statistics.OnSenderReportSent(report.CompactNtpTimestamp, now);
                }
            }
        }
    }

    protected override IReadOnlyList<StreamStatistics> GetStreamStatistics()
    {
        var streams = new List<StreamStatistics>();
        foreach (Producer producer in Producers)
        {
            foreach (SimulcastLayer layer in producer.Layers)
            {
                if (layer.Ssrc is not { } ssrc)
                {
                    continue; // a layer not heard from yet
                }

                ReceiveStatistics received = layer.Statistics;
                streams.Add(new StreamStatistics(
                    producer.Description.Kind, ssrc, layer.Rid, producer.Description.Codec.Name,
                    received.Packets, received.Bytes, layer.Bitrate, received.PacketsLost, received.FractionLost,
                    received.JitterSeconds, RoundTripSeconds: null, received.NacksSent, received.PlisSent, Firs: 0,
                    received.Retransmissions, producer.IsSimulcast ? layer.Index : null));
            }
        }

        return streams;
    }

    protected override void OnConnected()
    {
        foreach (Producer producer in Producers)
        {
            if (producer.Consumers.Count > 0)
            {
                producer.RequestKeyFrame();
            }
        }
    }

    private bool TryLearn(RtpPacket packet, out (Producer Producer, SimulcastLayer Layer, bool Rtx) source)
    {
        source = default;
        foreach (Producer producer in Producers)
        {
            ProducerDescription d = producer.Description;
            byte midId = d.ExtensionId(Extmap.SdesMid);
            if (midId == 0 || !packet.Extension.TryGet(midId, out SdesMid mid) || mid.Value != d.Mid)
            {
                continue;
            }

            if (producer.IsSimulcast)
            {
                byte ridId = d.ExtensionId(Extmap.SdesRtpStreamId), repairedId = d.ExtensionId(Extmap.SdesRepairedRtpStreamId);
                if (ridId != 0 && packet.Extension.TryGet(ridId, out RtpStreamId rid) && Layer(producer, rid.Value) is { } layer)
                {
                    layer.Ssrc = packet.Ssrc;
                    source = (producer, layer, false);
                }
                else if (repairedId != 0 && packet.Extension.TryGet(repairedId, out RepairedRtpStreamId repaired) && Layer(producer, repaired.Value) is { } repairedLayer)
                {
                    repairedLayer.RtxSsrc = packet.Ssrc;
                    source = (producer, repairedLayer, true);
                }
                else
                {
                    return false;
                }
            }
            else if (packet.PayloadType == d.Codec.PayloadType && producer.Layers[0].Ssrc is null)
            {
                producer.Layers[0].Ssrc = packet.Ssrc;
                source = (producer, producer.Layers[0], false);
            }
            else if (packet.PayloadType == d.Codec.RtxPayloadType && producer.Layers[0].RtxSsrc is null)
            {
                producer.Layers[0].RtxSsrc = packet.Ssrc;
                source = (producer, producer.Layers[0], true);
            }
            else
            {
                return false;
            }

            _bySsrc[packet.Ssrc] = source;
            return true;
        }

        return false;
    }

    private static SimulcastLayer? Layer(Producer producer, string rid) => producer.Layers.FirstOrDefault(l => l.Rid == rid);
}
