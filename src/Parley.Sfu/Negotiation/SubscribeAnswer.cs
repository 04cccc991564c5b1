using System.Security.Cryptography;
using Parley.Sdp;
using Parley.WebRtc;

namespace Parley.Sfu.Negotiation;

/// <summary>
/// The answer to a subscriber's offer (the client-offer flow, OpenVidu CE's): each <c>recvonly</c> section is
/// matched with a producer of its kind and answered <c>sendonly</c> with the producer's codec under the
/// subscriber's payload type, the consumer's SSRC and the producer's msid; a section with no producer or no common
/// codec is rejected.
/// </summary>
public static class SubscribeAnswer
{
    public static (SessionDescription Answer, IReadOnlyList<ConsumerDescription> Consumers) Build(
        SessionDescription offer, IReadOnlyList<ProducerDescription> producers, WebRtcTransport transport, WebRtcServer server)
    {
        var consumers = new List<ConsumerDescription>();
        var sections = new List<MediaDescription>();
        var unused = new List<ProducerDescription>(producers);
        foreach (MediaDescription m in offer.Media)
        {
            MediaKind? kind = PublishAnswer.KindOf(m);
            ProducerDescription? producer = unused.FirstOrDefault(p => p.Kind == kind);
            Codec? codec = producer is null || m.Mid is null || m.IsRejected ? null : m.FindCodec(c => SameCodec(c, producer.Codec));
            if (producer is null || codec is null)
            {
                sections.Add(PublishAnswer.Rejected(m));
                continue;
            }

            unused.Remove(producer);
            var consumer = new ConsumerDescription(m.Mid!, producer, codec.PayloadType, RandomSsrc(), SharedExtensions(m.Extmaps, producer));
            sections.Add(Section(m.Media, m.Mid!, codec with { RtxPayloadType = null }, consumer, m.Extmaps, m.RtcpRsize, transport, server, DtlsSetup.Passive));
            consumers.Add(consumer);
        }

        if (consumers.Count == 0)
        {
            throw new NegotiationException("The offer receives none of the stream's tracks with a codec it was published in");
        }

        SessionDescription description = TransportSdp.NewDescription(offer.Origin.SessionId, consumers.Select(c => c.Mid));
        foreach (MediaDescription section in sections)
        {
            description.AddMedia(section);
        }

        return (description, consumers);
    }

    /// <summary>A sending section for one consumer: its codec, the producer's stream and track labels on its SSRC.</summary>
    internal static MediaDescription Section(string media, string mid, Codec codec, ConsumerDescription consumer, IEnumerable<Extmap> extmaps,
        bool rtcpRsize, WebRtcTransport transport, WebRtcServer server, DtlsSetup setup)
    {
        MediaDescription section = MediaDescription.CreateRtp(media, mid);
        // A subscriber's receive estimate (REMB, from abs-send-time) picks its simulcast layer.
        section.AddCodec(PublishAnswer.Accepted(codec, consumer.Producer.Kind, remb: consumer.Producer.Kind == MediaKind.Video) with { RtxPayloadType = null });
        foreach (Extmap extmap in extmaps.Where(e => consumer.SharedExtensionIds.Contains((byte)e.Id)))
        {
            section.Add(new Extmap(extmap.Id, extmap.Uri));
        }

        section.RtcpRsize = rtcpRsize;
        section.Direction = MediaDirection.SendOnly;
        section.Add(new Msid(consumer.Producer.StreamLabel, consumer.Producer.TrackLabel));
        section.Add(new Ssrc(consumer.Ssrc, Ssrc.Cname, consumer.Producer.Cname));
        section.Add(new Ssrc(consumer.Ssrc, Ssrc.Msid, $"{consumer.Producer.StreamLabel} {consumer.Producer.TrackLabel}"));
        TransportSdp.Apply(section, transport, server, setup);
        return section;
    }

    /// <summary>Same codec: name and clock rate, and for H.264 the same profile and packetization mode.</summary>
    internal static bool SameCodec(Codec candidate, Codec produced) =>
        candidate.Is(produced.Name) && candidate.ClockRate == produced.ClockRate
        && (!produced.Is(CodecName.H264)
            || (candidate.HasParameter("packetization-mode", produced.TryGetParameter("packetization-mode", out string? mode) ? mode : "0")
                && candidate.TryGetParameter("profile-level-id", out string? a) && produced.TryGetParameter("profile-level-id", out string? b)
                && string.Equals(a[..4], b[..4], StringComparison.OrdinalIgnoreCase)));

    /// <summary>Extension ids that mean the same in the producer's packets and to the subscriber. The transport-wide
    /// sequence number is the publisher's transport's, meaningless to a subscriber, so it is never shared.</summary>
    internal static IReadOnlySet<byte> SharedExtensions(IEnumerable<Extmap> subscriber, ProducerDescription producer) =>
        subscriber.Where(e => e.Uri != Extmap.TransportWideCc && producer.Extensions.Any(p => p.Id == e.Id && p.Uri == e.Uri))
            .Select(e => (byte)e.Id).ToHashSet();

    internal static uint RandomSsrc() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
}
