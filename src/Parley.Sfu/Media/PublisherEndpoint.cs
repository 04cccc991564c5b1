using Microsoft.Extensions.Logging;
using Parley.Rtp;
using Parley.WebRtc;

namespace Parley.Sfu.Media;

/// <summary>
/// A publisher's peer connection: its producers, found by SSRC. SSRCs not declared in the offer (simulcast, or a
/// browser that leaves out a=ssrc) are learned from the mid header extension of their first packets: the codec's
/// payload type binds the media SSRC, the RTX payload type the retransmission SSRC.
/// </summary>
internal sealed class PublisherEndpoint : MediaEndpoint
{
    private readonly Dictionary<uint, Producer> _bySsrc = [];
    private readonly TimeProvider _time;
    private readonly TwccFeedbackGenerator? _twcc;
    private readonly byte _twccExtensionId;
    private readonly byte[] _feedbackBuffer = new byte[1200];

    public PublisherEndpoint(string id, WebRtcTransport transport, IReadOnlyList<ProducerDescription> producers, TimeProvider time, ILogger log)
        : base(id, transport, log)
    {
        _time = time;
        Producers = [.. producers.Select(p => new Producer(p, this, time))];
        _twccExtensionId = producers.Select(p => p.ExtensionId(Sdp.Extmap.TransportWideCc)).FirstOrDefault(id => id != 0);
        _twcc = _twccExtensionId != 0 ? new TwccFeedbackGenerator(RtcpSsrc) : null;
        foreach (Producer producer in Producers)
        {
            if (producer.Ssrc is { } ssrc)
            {
                _bySsrc[ssrc] = producer;
            }
        }
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

        if (!_bySsrc.TryGetValue(packet.Ssrc, out Producer? producer))
        {
            producer = Learn(packet);
            if (producer is null)
            {
                return;
            }
        }

        if (_twcc is not null && packet.Extension.TryGet(_twccExtensionId, out TransportSequenceNumber sequence))
        {
            TimeSpan now = _time.GetElapsedTime(0);
            _twcc.OnPacket(sequence.Value, now);
            if (_twcc.IsDue(now))
            {
                _twcc.Flush(now, packet.Ssrc, _feedbackBuffer, SendRtcp);
            }
        }

        if (packet.Ssrc == producer.Ssrc)
        {
            producer.Forward(plain);
        }

        // Retransmissions (RTX) are not forwarded: consumers' losses are repaired by key frames until NACK is served.
    }

    /// <summary>
    /// Sender reports go on to every consumer of the track, under the consumer's SSRC and without the publisher's
    /// report blocks (those are about what the publisher receives): subscribers need them to synchronise audio with
    /// video. SDES and BYE stay here.
    /// </summary>
    protected override void OnRtcp(ReadOnlySpan<byte> plain)
    {
        if (!Rtp.Rtcp.RtcpCompoundPacket.TryRead(plain, out Rtp.Rtcp.RtcpCompoundPacket compound))
        {
            return;
        }

        Span<byte> forwarded = stackalloc byte[Rtp.Rtcp.SenderReport.MinLength];
        foreach (Rtp.Rtcp.RtcpPacket packet in compound)
        {
            if (packet.PacketType != Rtp.Rtcp.RtcpPacketType.SenderReport
                || !Rtp.Rtcp.SenderReport.TryRead(packet.Raw, out Rtp.Rtcp.SenderReport report)
                || !_bySsrc.TryGetValue(report.Ssrc, out Producer? producer) || producer.Ssrc != report.Ssrc)
            {
                continue;
            }

            foreach (Consumer consumer in producer.Consumers)
            {
                var copy = new Rtp.Rtcp.SenderReport
                {
                    Ssrc = consumer.Description.Ssrc,
                    NtpTimestamp = report.NtpTimestamp,
                    RtpTimestamp = report.RtpTimestamp,
                    PacketCount = report.PacketCount,
                    OctetCount = report.OctetCount,
                };
                if (copy.TryWrite(forwarded, out int length))
                {
                    consumer.Owner.SendRtcp(forwarded[..length]);
                }
            }
        }
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

    private Producer? Learn(RtpPacket packet)
    {
        foreach (Producer candidate in Producers)
        {
            byte midId = candidate.Description.ExtensionId(Sdp.Extmap.SdesMid);
            if (midId == 0 || !packet.Extension.TryGetElement(midId, out ReadOnlySpan<byte> mid) || !mid.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(candidate.Description.Mid)))
            {
                continue;
            }

            if (packet.PayloadType == candidate.Description.Codec.PayloadType && candidate.Ssrc is null)
            {
                candidate.Ssrc = packet.Ssrc;
            }
            else if (packet.PayloadType == candidate.Description.Codec.RtxPayloadType && candidate.RtxSsrc is null)
            {
                candidate.RtxSsrc = packet.Ssrc;
            }
            else
            {
                return null;
            }

            _bySsrc[packet.Ssrc] = candidate;
            return candidate;
        }

        return null;
    }
}
