using Parley.Sdp;
using Parley.WebRtc;

namespace Parley.Sfu.Negotiation;

/// <summary>
/// The server's offer to a subscriber (the server-offer flow openvidu-browser uses with <c>mediaServer:
/// "mediasoup"</c>): one <c>sendonly</c> section per producer, with the producer's own payload type and header
/// extension ids (so packets are forwarded as they came), <c>a=setup:actpass</c> (browsers answer active); and the
/// check of the browser's answer.
/// </summary>
public static class SubscriptionOffer
{
    public static (SessionDescription Offer, IReadOnlyList<ConsumerDescription> Consumers) Build(
        IReadOnlyList<ProducerDescription> producers, WebRtcTransport transport, WebRtcServer server, ulong sessionId)
    {
        var consumers = new List<ConsumerDescription>();
        var sections = new List<MediaDescription>();
        for (int i = 0; i < producers.Count; i++)
        {
            ProducerDescription producer = producers[i];
            var consumer = new ConsumerDescription(i.ToString(System.Globalization.CultureInfo.InvariantCulture), producer,
                producer.Codec.PayloadType, SubscribeAnswer.RandomSsrc(), SubscribeAnswer.SharedExtensions(producer.Extensions, producer));
            string media = producer.Kind == MediaKind.Audio ? MediaDescription.Audio : MediaDescription.Video;
            sections.Add(SubscribeAnswer.Section(media, consumer.Mid, producer.Codec, consumer, producer.Extensions, rtcpRsize: true,
                transport, server, DtlsSetup.ActPass));
            consumers.Add(consumer);
        }

        SessionDescription offer = TransportSdp.NewDescription(sessionId, consumers.Select(c => c.Mid));
        foreach (MediaDescription section in sections)
        {
            offer.AddMedia(section);
        }

        return (offer, consumers);
    }

    /// <summary>Checks the browser's answer: every section it accepts must keep the offered codec; the consumers of
    /// sections it rejected are dropped.</summary>
    public static IReadOnlyList<ConsumerDescription> Accept(SessionDescription answer, IReadOnlyList<ConsumerDescription> offered)
    {
        var accepted = new List<ConsumerDescription>();
        foreach (ConsumerDescription consumer in offered)
        {
            MediaDescription? section = answer.FindMedia(consumer.Mid);
            if (section is null || section.IsRejected)
            {
                continue;
            }

            if (!section.Codecs.Any(c => c.PayloadType == consumer.PayloadType))
            {
                throw new NegotiationException($"The answer does not keep payload type {consumer.PayloadType} in section {consumer.Mid}");
            }

            accepted.Add(consumer);
        }

        return accepted.Count > 0 ? accepted : throw new NegotiationException("The answer accepts none of the offered tracks");
    }
}
