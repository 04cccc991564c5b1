using Microsoft.Extensions.Logging;
using Parley.Rtp;
using Parley.Rtp.Rtcp;
using Parley.WebRtc;

namespace Parley.Sfu.Media;

/// <summary>
/// A subscriber's peer connection: its consumers, and the subscriber's RTCP: PLI and FIR become key-frame requests
/// to the producer, NACKs retransmissions, and REMB and receiver reports feed its bandwidth estimate
/// (<see cref="SubscriberBandwidthEstimator"/>), of which each video consumer gets an equal share after what audio
/// takes (audio is never held back for video). When it connects, a key frame is asked for at once so the first
/// picture comes without waiting for the publisher's next one.
/// </summary>
internal sealed partial class SubscriberEndpoint(string id, WebRtcTransport transport, TimeProvider time, ILogger log)
    : MediaEndpoint(id, transport, log), IMediaSink
{
    private readonly SubscriberBandwidthEstimator _estimator = new();
    private readonly ILogger _log = log;
    private Consumer[] _consumers = [];

    public IReadOnlyList<Consumer> Consumers => Volatile.Read(ref _consumers);

    /// <summary>The subscriber's bandwidth estimate, bits per second; 0 while unknown.</summary>
    public long EstimatedBitrate => _estimator.Estimate;

    /// <summary>Milliseconds on the same clock as the producers'.</summary>
    private long Now => time.GetTimestamp() * 1000 / time.TimestampFrequency;

    /// <summary>The estimate less what the audio consumers send, shared equally by the video consumers; 0 while
    /// the estimate is unknown, at least 1 once it is known (so video is paused rather than unlimited when audio
    /// takes it all).</summary>
    public long VideoBudget(long now)
    {
        long estimate = _estimator.Estimate;
        if (estimate <= 0)
        {
            return 0;
        }

        long audio = 0;
        int videos = 0;
        foreach (Consumer consumer in Volatile.Read(ref _consumers))
        {
            if (consumer.IsVideo)
            {
                videos++;
            }
            else
            {
                audio += consumer.SentBitrate(now);
            }
        }

        return Math.Max(1, (estimate - audio) / Math.Max(1, videos));
    }

    public void OnLayerChanged(Consumer consumer, int previous, int next)
    {
        if (_log.IsEnabled(LogLevel.Information))
        {
            long layerBitrate = next >= 0 ? consumer.Producer.Layers[next].Bitrate : 0;
            LogLayerChanged(_log, Id, consumer.Description.Mid, previous, next, layerBitrate, VideoBudget(Now),
                _estimator.Estimate, _estimator.LastRemb, _estimator.LastLoss);
        }
    }

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
                sent.Packets, sent.Bytes, consumer.SentBitrate(consumer.Producer.Now), sent.PacketsLost, sent.FractionLost, sent.JitterSeconds,
                sent.RoundTripSeconds, sent.NacksReceived, sent.PlisReceived, sent.FirsReceived, sent.Retransmissions,
                consumer.Producer.IsSimulcast && layer >= 0 ? layer : null));
        }

        return streams;
    }

    protected override void OnRtp(ReadOnlySpan<byte> plain)
    {
        // A subscriber sends no media.
    }

    protected override void OnRtcp(ReadOnlySpan<byte> plain) => OnFeedback(plain);

    /// <summary>The subscriber's RTCP, decrypted (internal so tests can give it feedback without SRTP).</summary>
    internal void OnFeedback(ReadOnlySpan<byte> plain)
    {
        if (!RtcpCompoundPacket.TryRead(plain, out RtcpCompoundPacket compound))
        {
            return;
        }

        foreach (RtcpPacket packet in compound)
        {
            if (packet.PacketType == RtcpPacketType.ReceiverReport && ReceiverReport.TryRead(packet.Raw, out ReceiverReport report))
            {
                OnReportBlocks(report.ReportBlocks, feedsEstimate: true);
                LogFeedback();
                continue;
            }

            if (packet.PacketType == RtcpPacketType.SenderReport && SenderReport.TryRead(packet.Raw, out SenderReport senderReport))
            {
                OnReportBlocks(senderReport.ReportBlocks, feedsEstimate: false);
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
                _estimator.OnRemb((long)Math.Min(remb.Bitrate, long.MaxValue), Now);
                LogFeedback();
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

            long now = Now;
            foreach (ushort lost in nack.GetLostSequenceNumbers())
            {
                consumer.Retransmit(lost, now);
            }
        }
    }

    /// <summary>
    /// The subscriber's reception reports, each about one of its consumers: into that consumer's statistics, and,
    /// from a receiver report, the worst fraction lost of a video consumer feeds the loss half of the estimate, with
    /// what was sent over the last second.
    /// </summary>
    private void OnReportBlocks(RtcpItemList<ReportBlock> blocks, bool feedsEstimate)
    {
        Consumer[] consumers = Volatile.Read(ref _consumers);
        long now = Now;
        int worst = -1;
        foreach (ReportBlock block in blocks)
        {
            foreach (Consumer consumer in consumers)
            {
                if (consumer.Description.Ssrc != block.Ssrc)
                {
                    continue;
                }

                consumer.Statistics.OnReportBlock(block, now);
                if (consumer.IsVideo)
                {
                    worst = Math.Max(worst, block.FractionLost);
                }
            }
        }

        if (!feedsEstimate || worst < 0)
        {
            return;
        }

        long sent = 0;
        foreach (Consumer consumer in consumers)
        {
            sent += consumer.SentBitrate(now);
        }

        _estimator.OnLoss((byte)worst, sent, now);
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

    private void LogFeedback()
    {
        if (_log.IsEnabled(LogLevel.Debug))
        {
            LogEstimate(_log, Id, _estimator.LastRemb, _estimator.LastLoss, _estimator.Estimate, VideoBudget(Now));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Subscriber {Id}: last REMB {Remb} bit/s, loss {Loss:P0}; estimate {Estimate} bit/s (0: unknown), video budget {Budget} bit/s")]
    private static partial void LogEstimate(ILogger logger, string id, long remb, double loss, long estimate, long budget);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Subscriber {Id} track {Mid}: layer {Previous} -> {Next} (-1: paused; layer at {LayerBitrate} bit/s); budget {Budget} bit/s of estimate {Estimate} bit/s (0: unknown), last REMB {Remb} bit/s, loss {Loss:P0}")]
    private static partial void LogLayerChanged(ILogger logger, string id, string mid, int previous, int next, long layerBitrate, long budget,
        long estimate, long remb, double loss);
}
