namespace Parley.Sdp.Tests;

/// <summary>Typed reads of Chromium's publish offer (audio and video, sendonly), against values read off the capture.</summary>
public sealed class ChromePublishOfferTests
{
    private readonly SessionDescription _offer = GoldenData.Parse(GoldenData.PublishOffer);

    private MediaDescription Audio => _offer.Media[0];

    private MediaDescription Video => _offer.Media[1];

    [Fact]
    public void The_session_level_reads_origin_bundle_and_msid_semantic()
    {
        Assert.Equal(new Origin("-", 7989967456326406689, 2, "IN", "IP4", "127.0.0.1"), _offer.Origin);
        Assert.Equal("-", _offer.SessionName);
        Assert.Equal(Timing.Unbounded, _offer.Timing);
        Assert.Equal(["0", "1"], _offer.BundleGroup!.Mids);
        Assert.Equal(new MsidSemantic("WMS", ["ebade887-6f08-4c78-a773-83eb93ed62bf"]), _offer.MsidSemantic);
        Assert.True(_offer.ExtmapAllowMixed);
        Assert.False(_offer.IceLite);
        Assert.Null(_offer.Connection);
    }

    [Fact]
    public void The_media_lines_read_media_port_protocol_and_payload_types()
    {
        Assert.Equal(2, _offer.Media.Count);
        Assert.Equal(("audio", 9, "UDP/TLS/RTP/SAVPF"), (Audio.Media, Audio.Port, Audio.Protocol));
        Assert.Equal(["111", "63", "9", "0", "8", "13", "110", "126"], Audio.Formats);
        Assert.Equal("video", Video.Media);
        Assert.Equal(23, Video.Formats.Count);
        Assert.True(Video.IsRtp);
        Assert.Equal(ConnectionData.Unspecified, Video.Connection);
        Assert.Equal(new RtcpAddress(9, ConnectionData.Unspecified), Video.Rtcp);
        Assert.Same(Video, _offer.FindMedia("1"));
    }

    [Fact]
    public void Both_sections_carry_the_same_ICE_and_DTLS_parameters()
    {
        byte[] digest = Convert.FromHexString("0B51592195B3EA0846AEC29ECB2B1FAF7C0DEEDE4A78189E575ED656F566FAF5");
        foreach (MediaDescription media in _offer.Media)
        {
            Assert.Equal("iPpS", media.IceUfrag);
            Assert.Equal("GN1LGmhp4tudPuvffUpD4I/O", media.IcePwd);
            Assert.Equal(["trickle"], media.IceOptions);
            Fingerprint fingerprint = Assert.Single(media.Fingerprints);
            Assert.Equal("sha-256", fingerprint.HashFunction);
            Assert.Equal(digest, fingerprint.Digest.ToArray());
            Assert.Equal(DtlsSetup.ActPass, media.Setup);
            Assert.Equal(MediaDirection.SendOnly, media.Direction);
            Assert.True(media.RtcpMux);
            Assert.True(media.RtcpRsize);
            Assert.Empty(media.Candidates);
            Assert.False(media.EndOfCandidates);
        }

        TransportParameters transport = _offer.GetTransportParameters(Video);
        Assert.Equal(("iPpS", DtlsSetup.ActPass), (transport.IceUfrag, transport.Setup));
    }

    [Fact]
    public void The_mids_and_header_extensions_read_by_id_and_uri()
    {
        Assert.Equal(("0", "1"), (Audio.Mid, Video.Mid));
        Assert.Equal(
            [(1, Extmap.AudioLevel), (2, Extmap.AbsSendTime), (3, Extmap.TransportWideCc), (4, Extmap.SdesMid)],
            Audio.Extmaps.Select(e => (e.Id, e.Uri)));
        Assert.Equal(
            [
                (14, Extmap.TransmissionOffset), (2, Extmap.AbsSendTime), (13, Extmap.VideoOrientation), (3, Extmap.TransportWideCc),
                (5, "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"),
                (6, "http://www.webrtc.org/experiments/rtp-hdrext/video-content-type"),
                (7, "http://www.webrtc.org/experiments/rtp-hdrext/video-timing"),
                (8, "http://www.webrtc.org/experiments/rtp-hdrext/color-space"),
                (4, Extmap.SdesMid), (10, Extmap.SdesRtpStreamId), (11, Extmap.SdesRepairedRtpStreamId),
            ],
            Video.Extmaps.Select(e => (e.Id, e.Uri)));
        Assert.All(Video.Extmaps, e => Assert.Null(e.Direction));
        Assert.All(Video.Extmaps, e => Assert.Null(e.ExtensionAttributes));
    }

    [Fact]
    public void The_audio_codecs_are_opus_first_with_its_parameters_and_feedback()
    {
        IReadOnlyList<Codec> codecs = Audio.Codecs;
        Assert.Equal(["opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event"], codecs.Select(c => c.Name));
        Codec opus = codecs[0];
        Assert.Equal((111, 48000u, 2), (opus.PayloadType, opus.ClockRate, opus.Channels));
        Assert.Equal([new FmtpParameter("minptime", "10"), new FmtpParameter("useinbandfec", "1")], opus.Parameters);
        Assert.Equal([new RtcpFeedback(111, RtcpFeedback.TransportCc)], opus.Feedback);
        Assert.Null(opus.RtxPayloadType);
        Assert.True(opus.HasParameter("useinbandfec", "1"));

        Codec red = codecs[1];
        Assert.Equal(63, red.PayloadType);
        Assert.Equal([new FmtpParameter("111/111")], red.Parameters);
        Assert.True(red.TryGetParameter("111/111", out string? bare));
        Assert.Equal("", bare);
        Assert.Null(codecs[2].Channels);
    }

    [Fact]
    public void The_video_codecs_fold_each_RTX_payload_type_into_its_codec()
    {
        IReadOnlyList<Codec> codecs = Video.Codecs;
        Assert.Equal(
            [(96, "VP8", 97), (102, "H264", 103), (104, "H264", 107), (108, "H264", 109), (114, "H264", 115), (116, "H264", 117),
                (39, "H264", 40), (45, "AV1", 46), (98, "VP9", 99), (100, "VP9", 101), (118, "red", 119), (120, "ulpfec", (int?)null)],
            codecs.Select(c => (c.PayloadType, c.Name, c.RtxPayloadType)));
        Assert.DoesNotContain(codecs, c => c.Is(CodecName.Rtx));

        Codec vp8 = codecs[0];
        Assert.Equal(90000u, vp8.ClockRate);
        Assert.Empty(vp8.Parameters);
        Assert.Equal(["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"], vp8.Feedback.Select(f => $"{f.Type} {f.Subtype}".TrimEnd()));
        Assert.True(vp8.HasFeedback(RtcpFeedback.Nack, RtcpFeedback.Pli));
        Assert.True(vp8.HasFeedback(RtcpFeedback.Ccm, RtcpFeedback.Fir));
        Assert.True(vp8.HasFeedback(RtcpFeedback.GoogRemb));
    }

    [Fact]
    public void The_SFU_finds_VP8_VP9_profile_0_and_constrained_baseline_H264_by_name_and_parameters()
    {
        Codec? h264 = Video.FindCodec(c => c.Is(CodecName.H264) && c.HasParameter("profile-level-id", "42e01f")
            && c.HasParameter("packetization-mode", "1"));
        Assert.NotNull(h264);
        Assert.Equal((108, 109), (h264.PayloadType, h264.RtxPayloadType));
        Assert.Equal("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", string.Join(';', h264.Parameters));
        Assert.True(h264.HasParameter("PROFILE-LEVEL-ID", "42E01F"));

        Assert.Equal(96, Video.FindCodec(c => c.Is("vp8"))!.PayloadType);
        Codec vp9 = Video.FindCodec(c => c.Is(CodecName.Vp9) && c.HasParameter("profile-id", "0"))!;
        Assert.Equal((98, 99), (vp9.PayloadType, vp9.RtxPayloadType));
        Assert.Equal(111, Audio.FindCodec(c => c.Is(CodecName.Opus))!.PayloadType);
    }

    [Fact]
    public void The_raw_codec_lines_read_one_by_one()
    {
        Assert.Equal(new Rtpmap(111, "opus", 48000, 2), Audio.Rtpmaps[0]);
        Assert.Equal(new Fmtp(97, [new FmtpParameter("apt", "96")]), Video.Fmtps[0]);
        Assert.Equal(23, Video.Rtpmaps.Count);
        Assert.Equal(11, Video.Rtpmaps.Count(r => r.EncodingName == CodecName.Rtx));
        Assert.Equal(new RtcpFeedback(96, "goog-remb"), Video.RtcpFeedbacks[0]);
        Assert.Equal(new RtcpFeedback(96, "nack", "pli"), Video.RtcpFeedbacks[4]);
    }

    [Fact]
    public void The_sources_read_msid_ssrc_attributes_and_the_FID_group()
    {
        Assert.Equal(new Msid("ebade887-6f08-4c78-a773-83eb93ed62bf", "78ab6e05-69a2-419a-b83f-c64f6293e295"), Assert.Single(Video.Msids));
        Assert.Equal(new SsrcGroup(SsrcGroup.FlowIdentification, [2995081019, 1987470637]), Assert.Single(Video.SsrcGroups));
        Assert.Equal(
            [
                new Ssrc(2995081019, Ssrc.Cname, "BXgMFL6HgqXxmAQS"),
                new Ssrc(2995081019, Ssrc.Msid, "ebade887-6f08-4c78-a773-83eb93ed62bf 78ab6e05-69a2-419a-b83f-c64f6293e295"),
                new Ssrc(1987470637, Ssrc.Cname, "BXgMFL6HgqXxmAQS"),
                new Ssrc(1987470637, Ssrc.Msid, "ebade887-6f08-4c78-a773-83eb93ed62bf 78ab6e05-69a2-419a-b83f-c64f6293e295"),
            ],
            Video.Ssrcs);
        Assert.Equal([1762840564u, 1762840564u], Audio.Ssrcs.Select(s => s.Id));
        Assert.Empty(Video.Rids);
        Assert.Null(Video.Simulcast);
    }

    [Fact]
    public void Unknown_attributes_stay_readable_as_raw_attributes()
    {
        Assert.Equal("rcvr-rtt=all", Video.GetAttributeValue("rtcp-xr"));
        Assert.Contains(new SdpAttribute("rtcp-xr", "rcvr-rtt=all"), Audio.Attributes);
        Assert.Null(Video.GetAttributeValue("rtcp-mux"));
        Assert.True(Video.HasAttribute("rtcp-mux"));
    }
}
