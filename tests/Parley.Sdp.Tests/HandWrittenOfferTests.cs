namespace Parley.Sdp.Tests;

/// <summary>The Firefox-style offer and the RFC 8829 / RFC 8853 examples: layouts Chrome does not write.</summary>
public sealed class HandWrittenOfferTests
{
    [Fact]
    public void Firefox_puts_the_fingerprint_at_session_level_and_the_transport_parameters_fall_back_to_it()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.FirefoxOffer);
        Assert.Equal("mozilla...THIS_IS_SDPARTA-128.0", offer.Origin.Username);
        Assert.Equal(["*"], offer.MsidSemantic!.StreamIds);
        Assert.Equal(["trickle"], offer.IceOptions);
        MediaDescription video = offer.Media[1];
        Assert.Empty(video.Fingerprints);
        Assert.Empty(video.IceOptions);

        TransportParameters transport = offer.GetTransportParameters(video);
        Assert.Equal(("2d7a1c09", "0b9f7e8e5a32b0b0c28d6f1b4fd2a94c", DtlsSetup.ActPass), (transport.IceUfrag, transport.IcePwd, transport.Setup));
        Assert.Equal(["trickle"], transport.IceOptions);
        Assert.Equal(Fingerprint.Sha256, Assert.Single(transport.Fingerprints).HashFunction);
    }

    [Fact]
    public void Firefox_codecs_are_gathered_although_fmtp_comes_before_rtpmap()
    {
        MediaDescription video = GoldenData.Parse(GoldenData.FirefoxOffer).Media[1];
        Assert.Equal(
            [(120, "VP8", 124), (121, "VP9", 125), (126, "H264", 127), (97, "H264", 98), (123, "ulpfec", (int?)null), (122, "red", 119)],
            video.Codecs.Select(c => (c.PayloadType, c.Name, c.RtxPayloadType)));
        Codec h264 = video.FindCodec(c => c.Is(CodecName.H264) && c.HasParameter("packetization-mode", "1"))!;
        Assert.Equal(126, h264.PayloadType);
        Assert.Equal([new FmtpParameter("max-fs", "12288"), new FmtpParameter("max-fr", "60")], video.Codecs[0].Parameters);
        Assert.Equal(5, video.Codecs[0].Feedback.Count);

        MediaDescription audio = GoldenData.Parse(GoldenData.FirefoxOffer).Media[0];
        Codec opus = audio.Codecs[0];
        Assert.Equal(("opus", 109), (opus.Name, opus.PayloadType));
        Assert.True(opus.HasParameter("stereo", "1"));
        Assert.Equal(1, audio.Codecs.Single(c => c.Name == "G722").Channels);
    }

    [Fact]
    public void Firefox_extmaps_carry_directions_and_its_simulcast_has_a_paused_rid()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.FirefoxOffer);
        Extmap csrc = offer.Media[0].Extmaps.Single(e => e.Id == 2);
        Assert.Equal((MediaDirection.RecvOnly, "urn:ietf:params:rtp-hdrext:csrc-audio-level"), (csrc.Direction, csrc.Uri));
        Assert.Equal("2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level", csrc.FormatValue());

        MediaDescription video = offer.Media[1];
        Assert.Equal(["h", "m", "l"], video.Rids.Select(r => r.Id));
        Assert.Equal(
            [new SimulcastRid("h"), new SimulcastRid("m", paused: true), new SimulcastRid("l")],
            video.Simulcast!.Send.Select(s => s.First));
        Assert.Equal(3, video.SsrcGroups.Count);
        Assert.Equal("{1e3d4b9b-4a13-4f4e-98f4-f08b2f7e7d91}", video.Ssrcs[0].AttributeValue);
        Assert.Equal("{5f2ad7c0-0a2b-4f4e-9b52-2a4a4e0b1c11}", video.Msids[0].StreamId);
    }

    [Fact]
    public void Firefox_candidates_include_TCP_and_end_with_end_of_candidates()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.FirefoxOffer);
        MediaDescription audio = offer.Media[0];
        Assert.True(audio.EndOfCandidates);
        Assert.Equal([IceProtocol.Udp, IceProtocol.Tcp, IceProtocol.Udp], audio.Candidates.Select(c => c.Protocol));
        IceCandidate tcp = audio.Candidates[1];
        Assert.Equal((IceTcpType.Active, 9, "TCP"), (tcp.TcpType, tcp.Port, tcp.Transport));
        Assert.Equal(("198.51.100.4", "192.0.2.4", 51300), (audio.Candidates[2].Address, audio.Candidates[2].RelatedAddress, audio.Candidates[2].RelatedPort));
        Assert.Equal(1073741823ul, offer.Media[2].MaxMessageSize);
        Assert.Equal(MediaDirection.SendRecv, offer.Media[2].Direction);
    }

    [Fact]
    public void The_JSEP_offer_A1_has_lip_sync_and_RTCP_on_component_2()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.JsepOfferA1);
        Assert.Equal(["trickle", "ice2"], offer.IceOptions);
        Assert.Equal([new Group("BUNDLE", ["a1", "v1"]), new Group("LS", ["a1", "v1"])], offer.Groups);
        MediaDescription audio = offer.FindMedia("a1")!;
        Assert.Equal(new RtcpAddress(10101, new ConnectionData("IN", "IP4", "203.0.113.100")), audio.Rtcp);
        Assert.Equal([1, 2], audio.Candidates.Select(c => c.Component));
        Assert.Equal("UDP", new IceCandidate("1", 1, IceProtocol.Udp, 1, "192.0.2.1", 1, IceCandidateType.Host).Transport);
        Assert.Equal("udp", audio.Candidates[0].Transport);
        Assert.Equal(new Msid("47017fee-b6c1-4162-929c-a25110252400"), Assert.Single(audio.Msids));
        Assert.Equal("91bbf309c0990a6bec11e38ba2933cee", audio.GetAttributeValue("tls-id"));
        Assert.Equal([new FmtpParameter("0-15")], audio.Codecs.Single(c => c.PayloadType == 97).Parameters);

        MediaDescription video = offer.FindMedia("v1")!;
        Assert.Equal([(100, 102), (101, 103)], video.Codecs.Select(c => (c.PayloadType, c.RtxPayloadType!.Value)));
        Assert.Equal("BGKk", video.IceUfrag);
    }

    [Fact]
    public void The_JSEP_offer_B2_has_a_data_channel_between_audio_and_video_and_simulcast()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.JsepOfferB2);
        Assert.Equal(["a1", "d1", "v1", "v2"], offer.BundleGroup!.Mids);
        Assert.Equal(["audio", "application", "video", "video"], offer.Media.Select(m => m.Media));
        Assert.True(offer.Media[0].HasAttribute("rtcp-mux-only"));
        IceCandidate relay = offer.Media[0].Candidates[2];
        Assert.Equal((IceCandidateType.Relayed, 255u, "198.51.100.200", 11200), (relay.Type, relay.Priority, relay.RelatedAddress, relay.RelatedPort));
        Assert.Equal(65536ul, offer.FindMedia("d1")!.MaxMessageSize);
        MediaDescription v1 = offer.FindMedia("v1")!;
        Assert.Equal(["1", "2", "3"], v1.Simulcast!.Send.Select(s => s.First.Rid));
        Assert.Equal("flexfec", v1.Codecs[^1].Name);
        Assert.Null(offer.FindMedia("v2")!.Simulcast);
    }

    [Fact]
    public void The_RFC_8853_example_reads_rid_restrictions_alternatives_and_a_recv_list()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.SimulcastExample);
        Assert.Equal("Simulcast Enabled Client", offer.SessionName);
        Assert.Equal(new ConnectionData("IN", "IP4", "192.0.2.156"), offer.Connection);
        Assert.Equal(new Origin("alice", 2362969037, 2362969040, "IN", "IP4", "192.0.2.156"), offer.Origin);

        Codec pcmu = Assert.Single(offer.Media[0].Codecs);
        Assert.Equal(("PCMU", 8000u, 0), (pcmu.Name, pcmu.ClockRate, pcmu.PayloadType));
        Assert.Empty(offer.Media[0].Lines);

        MediaDescription video = offer.Media[1];
        Rid first = video.Rids[0];
        Assert.Equal(("1", RidDirection.Send), (first.Id, first.Direction));
        Assert.Equal([97], first.PayloadTypes);
        Assert.Equal(["max-width=1280", "max-height=720", "max-fps=30"], first.Restrictions.Select(r => r.ToString()));
        Assert.True(first.TryGetRestriction(RidRestriction.MaxWidth, out string? width));
        Assert.Equal("1280", width);
        Assert.Equal(RidDirection.Recv, video.Rids[^1].Direction);

        Simulcast simulcast = video.Simulcast!;
        Assert.Equal([new SimulcastRid("1"), new SimulcastRid("4", paused: true)], simulcast.Send[0].Alternatives);
        Assert.Equal(["1,~4", "2", "3"], simulcast.Send.Select(s => s.ToString()));
        Assert.Equal(["c"], simulcast.Receive.Select(s => s.ToString()));
        Assert.Equal("send 1,~4;2;3 recv c", simulcast.FormatValue());

        Codec h264 = video.Codecs[0];
        Assert.Equal(
            [new FmtpParameter("profile-level-id", "42c01f"), new FmtpParameter("max-fs", "3600"), new FmtpParameter("max-mbps", "108000")],
            h264.Parameters);
        Assert.Equal(5, video.GetAttributeValues("imageattr").Count);
    }
}
