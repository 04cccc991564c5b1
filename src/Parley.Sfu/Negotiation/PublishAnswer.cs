using Parley.Sdp;
using Parley.WebRtc;

namespace Parley.Sfu.Negotiation;

/// <summary>
/// The answer to a publisher's offer (JSEP §5.3): each audio or video section the browser sends is accepted
/// <c>recvonly</c> with the one codec the server forwards (and its RTX), the feedback the server acts on (NACK,
/// PLI, FIR), and the header extensions it understands; anything else is rejected (port 0). The accepted sections
/// become <see cref="ProducerDescription"/>s.
/// </summary>
public static class PublishAnswer
{
    /// <summary>Header extensions kept: those the SFU reads (mid, rid, the transport-wide sequence number it sends
    /// congestion feedback for) or forwards untouched to subscribers.</summary>
    internal static readonly string[] ForwardedExtensions =
    [
        Extmap.SdesMid, Extmap.SdesRtpStreamId, Extmap.SdesRepairedRtpStreamId, Extmap.AudioLevel, Extmap.AbsSendTime,
        Extmap.VideoOrientation, Extmap.TransmissionOffset, Extmap.TransportWideCc,
    ];

    public static (SessionDescription Answer, IReadOnlyList<ProducerDescription> Producers) Build(
        SessionDescription offer, WebRtcTransport transport, WebRtcServer server, CodecPreferences preferences)
    {
        var producers = new List<ProducerDescription>();
        var sections = new List<MediaDescription>();
        foreach (MediaDescription m in offer.Media)
        {
            MediaKind? kind = PublishAnswer.KindOf(m);
            bool sending = m.Direction is null or MediaDirection.SendOnly or MediaDirection.SendRecv;
            Codec? codec = kind is { } k && m.IsRtp && !m.IsRejected && sending ? preferences.Choose(m, k) : null;
            if (kind is null || codec is null || m.Mid is null)
            {
                if (kind == MediaKind.Video && preferences.IsForced && sending && !m.IsRejected)
                {
                    throw new NegotiationException("The offer lacks the session's forced video codec", forcedCodecMissing: true);
                }

                sections.Add(Rejected(m));
                continue;
            }

            MediaDescription answer = MediaDescription.CreateRtp(m.Media, m.Mid);
            bool transportCc = m.Extmaps.Any(e => e.Uri == Extmap.TransportWideCc) && codec.HasFeedback(RtcpFeedback.TransportCc);
            answer.AddCodec(Accepted(codec, kind.Value, transportCc));
            List<Extmap> extensions = [.. m.Extmaps.Where(e => ForwardedExtensions.Contains(e.Uri)).Select(e => new Extmap(e.Id, e.Uri))];
            foreach (Extmap extension in extensions)
            {
                answer.Add(extension);
            }

            answer.RtcpRsize = m.RtcpRsize;
            answer.Direction = MediaDirection.RecvOnly;
            IReadOnlyList<string> rids = AcceptSimulcast(m, answer, extensions);
            TransportSdp.Apply(answer, transport, server, DtlsSetup.Passive);
            sections.Add(answer);
            producers.Add(Describe(m, kind.Value, codec, extensions) with { Rids = rids });
        }

        if (producers.Count == 0)
        {
            throw new NegotiationException("The offer sends no audio or video the server can forward (Opus; VP8, H.264 or VP9)");
        }

        SessionDescription description = TransportSdp.NewDescription(offer.Origin.SessionId, producers.Select(p => p.Mid));
        foreach (MediaDescription section in sections)
        {
            description.AddMedia(section);
        }

        return (description, producers);
    }

    /// <summary>The codec as answered: the publisher's payload type and parameters, the feedback the server handles.</summary>
    internal static Codec Accepted(Codec offered, MediaKind kind, bool transportCc = false, bool remb = false) =>
        new(offered.PayloadType, offered.Name, offered.ClockRate, offered.Channels)
        {
            Parameters = offered.Parameters,
            Feedback =
            [
                .. transportCc ? [new RtcpFeedback(null, RtcpFeedback.TransportCc)] : Array.Empty<RtcpFeedback>(),
                .. remb ? [new RtcpFeedback(null, RtcpFeedback.GoogRemb)] : Array.Empty<RtcpFeedback>(),
                .. kind == MediaKind.Video
                    ? [new RtcpFeedback(null, RtcpFeedback.Nack), new RtcpFeedback(null, RtcpFeedback.Nack, RtcpFeedback.Pli), new RtcpFeedback(null, RtcpFeedback.Ccm, RtcpFeedback.Fir)]
                    : Array.Empty<RtcpFeedback>(),
            ],
            RtxPayloadType = kind == MediaKind.Video ? offered.RtxPayloadType : null,
        };

    /// <summary>
    /// Accepts the simulcast the offer sends (RFC 8853 §5.3): each active layer's rid as <c>recv</c>, in the offer's
    /// order, which browsers and openvidu-browser keep from lowest to highest quality. Needs the rid extension, by
    /// which the layers' SSRCs are learned; without it simulcast is declined and the browser sends one encoding.
    /// </summary>
    private static IReadOnlyList<string> AcceptSimulcast(MediaDescription offer, MediaDescription answer, IReadOnlyList<Extmap> extensions)
    {
        if (offer.Simulcast is not { Send.Count: > 0 } simulcast || !extensions.Any(e => e.Uri == Extmap.SdesRtpStreamId))
        {
            return [];
        }

        string[] rids = [.. simulcast.Send.Select(s => s.Alternatives.FirstOrDefault(a => !a.Paused)?.Rid).OfType<string>()
            .Where(rid => offer.Rids.Any(r => r.Id == rid && r.Direction == RidDirection.Send))];
        if (rids.Length < 2)
        {
            return [];
        }

        foreach (string rid in rids)
        {
            answer.Add(new Rid(rid, RidDirection.Recv));
        }

        answer.Simulcast = new Simulcast(null, rids.Select(r => new SimulcastStream(r)));
        return rids;
    }

    /// <summary>The kind of track a media section carries; null for anything but audio and video.</summary>
    internal static MediaKind? KindOf(MediaDescription media) => media.Media switch
    {
        MediaDescription.Audio => MediaKind.Audio,
        MediaDescription.Video => MediaKind.Video,
        _ => null,
    };

    /// <summary>A refused section: port 0, its first format kept so the m= line stays well formed (JSEP §5.3.1).</summary>
    internal static MediaDescription Rejected(MediaDescription offered)
    {
        var rejected = new MediaDescription(offered.Media, 0, offered.Protocol, offered.Formats.Count > 0 ? [offered.Formats[0]] : ["0"]);
        if (offered.Mid is { } mid)
        {
            rejected.Mid = mid;
        }

        rejected.Direction = MediaDirection.Inactive;
        return rejected;
    }

    private static ProducerDescription Describe(MediaDescription m, MediaKind kind, Codec codec, IReadOnlyList<Extmap> extensions)
    {
        uint? ssrc = null, rtxSsrc = null;
        if (m.SsrcGroups.FirstOrDefault(g => g.Semantics == SsrcGroup.FlowIdentification) is { Ssrcs.Count: 2 } fid)
        {
            (ssrc, rtxSsrc) = (fid.Ssrcs[0], fid.Ssrcs[1]);
        }
        else if (m.Ssrcs.Count > 0 && m.SsrcGroups.Count == 0)
        {
            ssrc = m.Ssrcs[0].Id;
        }

        string cname = m.Ssrcs.FirstOrDefault(s => s.AttributeName == Sdp.Ssrc.Cname)?.AttributeValue ?? "parley";
        Msid? msid = m.Msids.FirstOrDefault();
        if (msid is null && m.Ssrcs.FirstOrDefault(s => s.AttributeName == Sdp.Ssrc.Msid)?.AttributeValue is { } text
            && Msid.TryParseValue(text, out Msid? fromSsrc))
        {
            msid = fromSsrc;
        }

        return new ProducerDescription(m.Mid!, kind, codec, ssrc, rtxSsrc, cname, msid?.StreamId ?? "parley", msid?.TrackId ?? $"{kind}-{m.Mid}".ToLowerInvariant(), extensions);
    }
}
