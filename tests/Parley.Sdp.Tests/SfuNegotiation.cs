namespace Parley.Sdp.Tests;

/// <summary>
/// How the SFU is meant to use the library, as a test fixture: answer a browser's publish offer (keeping the codecs and
/// extensions the SFU forwards, receiving what the browser sends, rejecting data channels), and make a subscribe offer.
/// The fixed ICE, DTLS and candidate values make the output reproducible for the approved files under Data/.
/// </summary>
internal static class SfuNegotiation
{
    public const string Ufrag = "prly";
    public const string Pwd = "parleyparleyparleyparley";

    public static readonly Fingerprint Fingerprint = new(Fingerprint.Sha256, [.. Enumerable.Range(0x10, 32).Select(i => (byte)i)]);

    public static readonly IceCandidate Candidate = new("1", 1, IceProtocol.Udp, IceCandidate.ComputePriority(IceCandidateType.Host, 65535, 1),
        "192.0.2.10", 40000, IceCandidateType.Host);

    private static readonly string[] ForwardedExtensions =
        [Extmap.SdesMid, Extmap.SdesRtpStreamId, Extmap.SdesRepairedRtpStreamId, Extmap.AbsSendTime, Extmap.TransportWideCc, Extmap.AudioLevel];

    public static SessionDescription Answer(SessionDescription offer, ulong sessionId)
    {
        var answer = new SessionDescription(new Origin("-", sessionId, 1));
        answer.ExtmapAllowMixed = offer.ExtmapAllowMixed;
        answer.MsidSemantic = new MsidSemantic(MsidSemantic.WebRtcMediaStream, []);
        answer.IceLite = true;
        foreach (MediaDescription offered in offer.Media)
        {
            answer.AddMedia(offered.IsRtp ? AnswerRtp(offered) : Reject(offered));
        }

        answer.SetBundle(answer.Media.Where(m => !m.IsRejected).Select(m => m.Mid!));
        return answer;
    }

    public static SessionDescription SubscribeOffer(ulong sessionId)
    {
        var offer = new SessionDescription(new Origin("-", sessionId, 1));
        offer.SetBundle(["0", "1"]);
        offer.ExtmapAllowMixed = true;
        offer.MsidSemantic = new MsidSemantic(MsidSemantic.WebRtcMediaStream, ["parley-stream"]);
        offer.IceLite = true;

        MediaDescription audio = CreateSection(MediaDescription.Audio, "0", DtlsSetup.ActPass, MediaDirection.SendOnly);
        audio.Add(new Extmap(1, Extmap.SdesMid));
        audio.Add(new Extmap(3, Extmap.TransportWideCc));
        audio.AddCodec(new Codec(111, CodecName.Opus, 48000, 2)
        {
            Parameters = [new FmtpParameter("minptime", "10"), new FmtpParameter("useinbandfec", "1")],
            Feedback = [new RtcpFeedback(null, RtcpFeedback.TransportCc)],
        });
        AddSource(audio, "parley-audio", [1001]);
        offer.AddMedia(EndCandidates(audio));

        MediaDescription video = CreateSection(MediaDescription.Video, "1", DtlsSetup.ActPass, MediaDirection.SendOnly);
        video.Add(new Extmap(1, Extmap.SdesMid));
        video.Add(new Extmap(3, Extmap.TransportWideCc));
        video.AddCodec(new Codec(96, CodecName.Vp8, 90000)
        {
            Feedback = [new RtcpFeedback(null, RtcpFeedback.TransportCc), new RtcpFeedback(null, RtcpFeedback.Ccm, RtcpFeedback.Fir),
                new RtcpFeedback(null, RtcpFeedback.Nack), new RtcpFeedback(null, RtcpFeedback.Nack, RtcpFeedback.Pli)],
            RtxPayloadType = 97,
        });
        AddSource(video, "parley-video", [2001, 2002]);
        offer.AddMedia(EndCandidates(video));
        return offer;
    }

    private static MediaDescription AnswerRtp(MediaDescription offered)
    {
        MediaDirection direction = (offered.Direction ?? MediaDirection.SendRecv).Reverse();
        MediaDescription media = CreateSection(offered.Media, offered.Mid!, DtlsSetup.Passive, direction);
        foreach (Extmap extmap in offered.Extmaps.Where(e => ForwardedExtensions.Contains(e.Uri)))
        {
            media.Add(extmap);
        }

        media.RtcpRsize = offered.RtcpRsize;
        foreach (Codec codec in offered.Codecs.Where(IsForwarded))
        {
            media.AddCodec(codec with { Feedback = [.. codec.Feedback.Where(f => f.Type != RtcpFeedback.GoogRemb)] });
        }

        if (offered.Simulcast is Simulcast simulcast)
        {
            foreach (Rid rid in offered.Rids.Where(r => r.Direction == RidDirection.Send))
            {
                media.Add(new Rid(rid.Id, RidDirection.Recv));
            }

            media.Simulcast = new Simulcast(null, simulcast.Send);
        }

        return EndCandidates(media);
    }

    /// <summary>A rejected section: port 0, the offered formats, its mid, nothing else (RFC 8829 §5.3.1).</summary>
    private static MediaDescription Reject(MediaDescription offered)
    {
        var rejected = new MediaDescription(offered.Media, 0, offered.Protocol, offered.Formats) { Connection = ConnectionData.Unspecified };
        rejected.Mid = offered.Mid;
        return rejected;
    }

    /// <summary>Opus, VP8, and constrained-baseline H.264 with packetization mode 1.</summary>
    private static bool IsForwarded(Codec codec) =>
        codec.Is(CodecName.Opus) || codec.Is(CodecName.Vp8)
        || (codec.Is(CodecName.H264) && codec.HasParameter("profile-level-id", "42e01f") && codec.HasParameter("packetization-mode", "1"));

    private static MediaDescription CreateSection(string kind, string mid, DtlsSetup setup, MediaDirection direction)
    {
        MediaDescription media = MediaDescription.CreateRtp(kind, mid);
        media.Port = Candidate.Port;
        media.Connection = new ConnectionData("IN", "IP4", Candidate.Address);
        media.IceUfrag = Ufrag;
        media.IcePwd = Pwd;
        media.Set(Fingerprint);
        media.Setup = setup;
        media.Direction = direction;
        return media;
    }

    private static void AddSource(MediaDescription media, string track, uint[] ssrcs)
    {
        media.Add(new Msid("parley-stream", track));
        if (ssrcs.Length > 1)
        {
            media.Add(new SsrcGroup(SsrcGroup.FlowIdentification, ssrcs));
        }

        foreach (uint ssrc in ssrcs)
        {
            media.Add(new Ssrc(ssrc, Ssrc.Cname, "parley"));
        }
    }

    private static MediaDescription EndCandidates(MediaDescription media)
    {
        media.AddCandidate(Candidate);
        media.EndOfCandidates = true;
        return media;
    }
}
