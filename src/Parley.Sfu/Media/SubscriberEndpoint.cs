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
            if (packet.IsFeedback(RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.PictureLossIndication)
                && PictureLossIndication.TryRead(packet.Raw, out PictureLossIndication pli))
            {
                mediaSsrc = pli.MediaSsrc;
            }
            else if (packet.IsFeedback(RtcpPacketType.PayloadFeedback, (byte)PayloadFeedbackFormat.FullIntraRequest)
                && FullIntraRequest.TryRead(packet.Raw, out FullIntraRequest fir) && fir.Entries.Count > 0)
            {
                mediaSsrc = fir.Entries[0].Ssrc;
            }
            else
            {
                continue;
            }

            foreach (Consumer consumer in Volatile.Read(ref _consumers))
            {
                if (consumer.Description.Ssrc == mediaSsrc)
                {
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

            foreach (ushort lost in nack.GetLostSequenceNumbers())
            {
                consumer.Retransmit(lost);
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
