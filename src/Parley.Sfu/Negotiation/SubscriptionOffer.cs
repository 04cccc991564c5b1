using Parley.Sdp;
using Parley.WebRtc;

namespace Parley.Sfu.Negotiation;

/// <summary>
/// The server's offer to a subscriber (the server-offer flow openvidu-browser uses with <c>mediaServer:
/// "mediasoup"</c>): one <c>sendonly</c> section per producer, with the producer's own payload type and header
/// extension ids (so packets are forwarded as they came), <c>a=setup:actpass</c> (browsers answer active); and the
/// check of the browser's answer.
/// </summary>
/// <remarks>
/// All sections share one BUNDLE transport, where a payload type and a header extension id must each mean one
/// thing (RFC 8843 §9.1, §9.2; Chromium refuses the offer otherwise). Browsers number both uniquely across their
/// sections, but other publishers need not: aiortc numbers each section's extensions from 1, so its audio level and
/// its video's abs-send-time are both id 2. A payload type already taken by an earlier section is replaced by a free
/// one (the consumer rewrites it in each packet); an extension id an earlier section gives another meaning is left
/// out of the later section (its packets still carry it, and the subscriber ignores it).
/// </remarks>
public static class SubscriptionOffer
{
    public static (SessionDescription Offer, IReadOnlyList<ConsumerDescription> Consumers) Build(
        IReadOnlyList<ProducerDescription> producers, WebRtcTransport transport, WebRtcServer server, ulong sessionId)
    {
        var consumers = new List<ConsumerDescription>();
        var sections = new List<MediaDescription>();
        var payloadTypes = new HashSet<int>();
        var extensionUris = new Dictionary<int, string>();
        for (int i = 0; i < producers.Count; i++)
        {
            ProducerDescription producer = producers[i];
            int payloadType = payloadTypes.Contains(producer.Codec.PayloadType) ? FreePayloadType(payloadTypes) : producer.Codec.PayloadType;
            payloadTypes.Add(payloadType);
            Extmap[] extensions = [.. producer.Extensions.Where(e => !extensionUris.TryGetValue(e.Id, out string? uri) || uri == e.Uri)];
            foreach (Extmap extension in extensions)
            {
                extensionUris.TryAdd(extension.Id, extension.Uri);
            }

            var consumer = new ConsumerDescription(i.ToString(System.Globalization.CultureInfo.InvariantCulture), producer,
                payloadType, SubscribeAnswer.RandomSsrc(), SubscribeAnswer.SharedExtensions(extensions, producer));
            string media = producer.Kind == MediaKind.Audio ? MediaDescription.Audio : MediaDescription.Video;
            sections.Add(SubscribeAnswer.Section(media, consumer.Mid, producer.Codec with { PayloadType = payloadType }, consumer, extensions,
                rtcpRsize: true, transport, server, DtlsSetup.ActPass));
            consumers.Add(consumer);
        }

        SessionDescription offer = TransportSdp.NewDescription(sessionId, consumers.Select(c => c.Mid));
        foreach (MediaDescription section in sections)
        {
            offer.AddMedia(section);
        }

        return (offer, consumers);
    }

    /// <summary>The first dynamic payload type (RFC 3551 §3: 96–127, then 35–63, which avoids RTCP's 64–95 under
    /// rtcp-mux, RFC 5761 §4) no section uses yet.</summary>
    private static int FreePayloadType(HashSet<int> used) =>
        Enumerable.Range(96, 32).Concat(Enumerable.Range(35, 29)).First(pt => !used.Contains(pt));

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
