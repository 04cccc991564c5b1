namespace Parley.Sdp.Tests;

/// <summary>Typed reads of the other Chromium captures: simulcast, recvonly, data channel, answer, gathered candidates.</summary>
public sealed class ChromeCaptureTests
{
    [Fact]
    public void The_simulcast_offer_lists_three_send_rids_and_no_ssrcs_for_video()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.SimulcastOffer);
        MediaDescription video = offer.Media[1];
        Assert.Equal(
            [new Rid("q", RidDirection.Send), new Rid("h", RidDirection.Send), new Rid("f", RidDirection.Send)],
            video.Rids);
        Assert.All(video.Rids, r => Assert.Empty(r.PayloadTypes));
        Assert.All(video.Rids, r => Assert.Empty(r.Restrictions));

        Simulcast simulcast = video.Simulcast!;
        Assert.Equal(["q", "h", "f"], simulcast.Send.Select(s => s.First.Rid));
        Assert.All(simulcast.Send, s => Assert.False(Assert.Single(s.Alternatives).Paused));
        Assert.Empty(simulcast.Receive);
        Assert.Empty(video.Ssrcs);
        Assert.Empty(video.SsrcGroups);
        Assert.Equal(MediaDirection.SendOnly, video.Direction);
    }

    [Fact]
    public void The_simulcast_offer_adds_the_dependency_descriptor_and_layers_allocation_extensions()
    {
        MediaDescription video = GoldenData.Parse(GoldenData.SimulcastOffer).Media[1];
        Assert.Equal(10, video.Extmaps.Single(e => e.Uri == Extmap.SdesRtpStreamId).Id);
        Assert.Equal(11, video.Extmaps.Single(e => e.Uri == Extmap.SdesRepairedRtpStreamId).Id);
        Assert.Equal(
            "https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension",
            video.Extmaps.Single(e => e.Id == 12).Uri);
        Assert.Equal("http://www.webrtc.org/experiments/rtp-hdrext/video-layers-allocation00", video.Extmaps.Single(e => e.Id == 9).Uri);
    }

    [Fact]
    public void The_recvonly_offer_has_no_sources_and_every_codec_Chrome_can_decode()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.RecvonlyOffer);
        Assert.Empty(offer.MsidSemantic!.StreamIds);
        Assert.Equal("WMS", offer.MsidSemantic.Semantic);
        foreach (MediaDescription media in offer.Media)
        {
            Assert.Equal(MediaDirection.RecvOnly, media.Direction);
            Assert.Empty(media.Msids);
            Assert.Empty(media.Ssrcs);
        }

        IReadOnlyList<Codec> video = offer.Media[1].Codecs;
        Assert.Equal(["0", "2", "1", "3"], video.Where(c => c.Is(CodecName.Vp9)).Select(c => c.TryGetParameter("profile-id", out string? p) ? p : null));
        Assert.Equal([41, 43], video.Where(c => c.HasParameter("profile-level-id", "f4001f")).Select(c => c.PayloadType));
        Assert.Equal([45, 47], video.Where(c => c.Is(CodecName.Av1)).Select(c => c.PayloadType));

        // flexfec-03 is a codec of its own: it has no apt.
        Codec flexfec = video.Single(c => c.PayloadType == 49);
        Assert.Equal(("flexfec-03", (int?)null), (flexfec.Name, flexfec.RtxPayloadType));
        Assert.Equal([new FmtpParameter("repair-window", "10000000")], flexfec.Parameters);
        Assert.Equal(34, offer.Media[1].Formats.Count);
        Assert.Equal(18, video.Count); // 34 formats, 16 of them RTX
    }

    [Fact]
    public void The_data_channel_section_reads_its_SCTP_port_and_message_size_and_has_no_codecs()
    {
        foreach (string name in new[] { GoldenData.DataChannelOffer, GoldenData.Answer })
        {
            SessionDescription description = GoldenData.Parse(name);
            MediaDescription data = description.Media[2];
            Assert.Equal(("application", 9, "UDP/DTLS/SCTP"), (data.Media, data.Port, data.Protocol));
            Assert.Equal([MediaDescription.DataChannelFormat], data.Formats);
            Assert.False(data.IsRtp);
            Assert.Empty(data.Codecs);
            Assert.Equal(5000, data.SctpPort);
            Assert.Equal(262144ul, data.MaxMessageSize);
            Assert.Equal("2", data.Mid);
            Assert.Null(data.Direction);
            Assert.Equal(["0", "1", "2"], description.BundleGroup!.Mids);
        }
    }

    [Fact]
    public void The_answer_picks_the_active_DTLS_role_and_sends_and_receives()
    {
        SessionDescription answer = GoldenData.Parse(GoldenData.Answer);
        Assert.All(answer.Media, m => Assert.Equal(DtlsSetup.Active, m.Setup));
        Assert.All(answer.Media.Take(2), m => Assert.Equal(MediaDirection.SendRecv, m.Direction));
        Assert.All(answer.Media, m => Assert.Equal(("96mm", "LQaGS1xq+XWB8Icgm1Izt/ya"), (m.IceUfrag, m.IcePwd)));
        Assert.Equal(
            Convert.FromHexString("40D5D99FA2BB22541C9DCA5EAC33E9F706A14F415485B2B2EFCFEF663C69C397"),
            answer.Media[2].Fingerprints[0].Digest.ToArray());
        Assert.Equal(new SsrcGroup("FID", [1594483857, 3815279277]), Assert.Single(answer.Media[1].SsrcGroups));
        Assert.Equal([new Ssrc(3877171848, "cname", "Q4f98Pgy06JwzOe/")], answer.Media[0].Ssrcs);
        Assert.Equal(
            answer.Media[1].Codecs.Select(c => c.PayloadType),
            GoldenData.Parse(GoldenData.DataChannelOffer).Media[1].Codecs.Select(c => c.PayloadType));
    }

    [Fact]
    public void The_gathered_offer_carries_candidates_and_the_default_address_in_c_and_m_lines()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.GatheredOffer);
        MediaDescription audio = offer.Media[0];
        Assert.Equal(50077, audio.Port);
        Assert.Equal(new ConnectionData("IN", "IP4", "192.0.2.2"), audio.Connection);
        Assert.Equal(new RtcpAddress(9, ConnectionData.Unspecified), audio.Rtcp);

        IReadOnlyList<IceCandidate> candidates = audio.Candidates;
        Assert.Equal(5, candidates.Count);
        Assert.Equal(
            [IceCandidateType.Host, IceCandidateType.Host, IceCandidateType.ServerReflexive, IceCandidateType.Relayed, IceCandidateType.Relayed],
            candidates.Select(c => c.Type).Order());
        IceCandidate relay = candidates.Single(c => c.Port == audio.Port);
        Assert.Equal(("192.0.2.2", IceCandidateType.Relayed, "192.0.2.2", 39801), (relay.Address, relay.Type, relay.RelatedAddress, relay.RelatedPort));
        Assert.All(candidates, c => Assert.Null(c.UsernameFragment));
        Assert.All(candidates, c => Assert.Equal((0, 999), (c.Generation, c.NetworkCost)));
        Assert.Equal(5, offer.Media[1].Candidates.Count);
    }
}
