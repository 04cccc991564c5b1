using Microsoft.Extensions.Logging;
using Parley.Rtp;
using Parley.Rtp.Rtcp;
using Parley.WebRtc;

namespace Parley.Sfu.Media;

/// <summary>
/// A subscriber's peer connection: its consumers, and the subscriber's RTCP: PLI and FIR become key-frame requests
/// to the producer. When it connects, a key frame is asked for at once so the first picture comes without waiting
/// for the publisher's next one.
/// </summary>
internal sealed class SubscriberEndpoint(string id, WebRtcTransport transport, ILogger log) : MediaEndpoint(id, transport, log)
{
    private Consumer[] _consumers = [];

    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    /// <summary>Attaches the consumers once negotiation is complete; media flows once DTLS is done too.</summary>
    public void Attach(IEnumerable<Consumer> consumers)
    {
        Volatile.Write(ref _consumers, [.. consumers]);
        foreach (Consumer consumer in _consumers)
        {
            consumer.Producer.AddConsumer(consumer);
        }

        if (IsConnected)
        {
            RequestKeyFrames();
        }
    }

    protected override void OnConnected() => RequestKeyFrames();

    protected override IReadOnlyList<StreamStatistics> GetStreamStatistics()
    {
        var streams = new List<StreamStatistics>();
        foreach (Consumer consumer in Volatile.Read(ref _consumers))
        {
            SendStatistics sent = consumer.Statistics;
            int layer = consumer.CurrentLayer;
            streams.Add(new StreamStatistics(
                consumer.Producer.Description.Kind, consumer.Description.Ssrc,
                layer >= 0 ? consumer.Producer.Layers[layer].Rid : null, consumer.Producer.Description.Codec.Name,
                sent.Packets, sent.Bytes, sent.Bitrate, sent.PacketsLost, sent.FractionLost, sent.JitterSeconds,
                sent.RoundTripSeconds, sent.NacksReceived, sent.PlisReceived, sent.FirsReceived, sent.Retransmissions,
                consumer.Producer.IsSimulcast && layer >= 0 ? layer : null));
        }

        return streams;
    }

    protected override void OnRtp(ReadOnlySpan<byte> plain)
    {
        // A subscriber sends no media.
    }

    protected override void OnRtcp(ReadOnlySpan<byte> plain)
    {
        if (!RtcpCompoundPacket.TryRead(plain, out RtcpCompoundPacket compound))
        {
            return;
        }

        foreach (RtcpPacket packet in compound)
        {
            if (packet.PacketType == RtcpPacketType.ReceiverReport && ReceiverReport.TryRead(packet.Raw, out ReceiverReport report))
            {
                OnReportBlocks(report.ReportBlocks);
                continue;
            }

            if (packet.PacketType == RtcpPacketType.SenderReport && SenderReport.TryRead(packet.Raw, out SenderReport senderReport))
            {
                OnReportBlocks(senderReport.ReportBlocks);
                continue;
            }

            if (packet.IsFeedback(RtcpPacketType.RtpFeedback, (byte)RtpFeedbackFormat.GenericNack)
                && GenericNack.TryRead(packet.Raw, out GenericNack nack))
            {
                Retransmit(nack);
                continue;
            }

            if (packet.IsFeedback(RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.ApplicationLayer)
                && ReceiverEstimatedMaxBitrate.TryRead(packet.Raw, out ReceiverEstimatedMaxBitrate remb))
            {
                EstimatedBitrate = (long)Math.Min(remb.Bitrate, long.MaxValue);
                continue;
            }

            uint mediaSsrc;
            bool isFir = false;
            if (packet.IsFeedback(RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.PictureLossIndication)
                && PictureLossIndication.TryRead(packet.Raw, out PictureLossIndication pli))
            {
                mediaSsrc = pli.MediaSsrc;
            }
            else if (packet.IsFeedback(RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.FullIntraRequest)
                && FullIntraRequest.TryRead(packet.Raw, out FullIntraRequest fir) && fir.Entries.Count > 0)
            {
                mediaSsrc = fir.Entries[0].Ssrc;
                isFir = true;
            }
            else
            {
                continue;
            }

            foreach (Consumer consumer in Volatile.Read(ref _consumers))
            {
                if (consumer.Description.Ssrc == mediaSsrc)
                {
                    if (isFir)
                    {
                        consumer.Statistics.FirsReceived++;
                    }
                    else
                    {
                        consumer.Statistics.PlisReceived++;
                    }

                    consumer.Producer.RequestKeyFrame();
                }
            }
        }
    }

    /// <summary>Answers a NACK from the producer's cache; what is no longer there will come with the next key frame,
    /// which the subscriber asks for itself when it cannot decode.</summary>
    private void Retransmit(GenericNack nack)
    {
        foreach (Consumer consumer in Volatile.Read(ref _consumers))
        {
            if (consumer.Description.Ssrc != nack.MediaSsrc)
            {
                continue;
            }

            consumer.Statistics.NacksReceived++;

            foreach (ushort lost in nack.GetLostSequenceNumbers())
            {
                consumer.Retransmit(lost);
            }
        }
    }

    /// <summary>The subscriber's reception reports, each about one of its consumers.</summary>
    private void OnReportBlocks(RtcpItemList<ReportBlock> blocks)
    {
        Consumer[] consumers = Volatile.Read(ref _consumers);
        foreach (ReportBlock block in blocks)
        {
            foreach (Consumer consumer in consumers)
            {
                if (consumer.Description.Ssrc == block.Ssrc)
                {
                    consumer.Statistics.OnReportBlock(block, consumer.Producer.Now);
                }
            }
        }
    }

    private void RequestKeyFrames()
    {
        foreach (Consumer consumer in Volatile.Read(ref _consumers))
        {
            consumer.Producer.RequestKeyFrame();
        }
    }

    /// <summary>Detaches the consumers and says goodbye (RTCP BYE for their SSRCs, RFC 3550 §6.6), so the
    /// subscriber ends those streams at once instead of waiting for them to time out.</summary>
    public override void Dispose()
    {
        Consumer[] consumers = Interlocked.Exchange(ref _consumers, []);
        foreach (Consumer consumer in consumers)
        {
            consumer.Producer.RemoveConsumer(consumer);
        }

        if (consumers.Length > 0)
        {
            uint[] ssrcs = [.. consumers.Select(c => c.Description.Ssrc)];
            var bye = new Goodbye(new SsrcList(ssrcs));
            Span<byte> packet = stackalloc byte[bye.GetEncodedLength()];
            if (bye.TryWrite(packet, out int written))
            {
                SendRtcp(packet[..written]);
            }
        }

        base.Dispose();
    }
}
