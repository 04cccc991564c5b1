namespace Parley.Sdp.Tests;

/// <summary>The mutators write through to the lines in place, keep RFC 8866's line order, and refuse bad values.</summary>
public sealed class MutatorTests
{
    [Fact]
    public void Removing_a_codec_removes_its_RTX_payload_type_and_all_their_lines()
    {
        MediaDescription video = GoldenData.Parse(GoldenData.PublishOffer).Media[1];
        int lines = video.Lines.Count;
        Assert.True(video.RemoveCodec(96));
        Assert.DoesNotContain("96", video.Formats);
        Assert.DoesNotContain("97", video.Formats);
        Assert.DoesNotContain(video.Rtpmaps, r => r.PayloadType is 96 or 97);
        Assert.DoesNotContain(video.RtcpFeedbacks, f => f.PayloadType == 96);
        Assert.DoesNotContain(video.Fmtps, f => f.PayloadType == 97);
        Assert.Equal(lines - 8, video.Lines.Count); // rtpmap, five rtcp-fb, the RTX rtpmap and fmtp, and nothing else
        Assert.False(video.RemoveCodec(96));
    }

    [Fact]
    public void Retaining_codecs_keeps_only_the_matching_ones_in_their_order()
    {
        MediaDescription video = GoldenData.Parse(GoldenData.RecvonlyOffer).Media[1];
        int removed = video.RetainCodecs(c => c.Is(CodecName.Vp8) || c.Is(CodecName.Vp9));
        Assert.Equal(18 - 5, removed);
        Assert.Equal(["96", "97", "98", "99", "100", "101", "35", "36", "37", "38"], video.Formats);
        Assert.Equal([96, 98, 100, 35, 37], video.Codecs.Select(c => c.PayloadType));
        Assert.All(video.Rtpmaps, r => Assert.Contains(SdpGrammar.Format(r.PayloadType), video.Formats));
    }

    [Fact]
    public void Adding_a_codec_puts_its_lines_after_the_other_codec_lines_and_before_the_sources()
    {
        MediaDescription video = GoldenData.Parse(GoldenData.PublishOffer).Media[1];
        video.AddCodec(new Codec(35, "AV1", 90000) { Parameters = [new FmtpParameter("profile", "1")], RtxPayloadType = 36 });
        string[] text = [.. video.Lines.Select(l => l.ToString())];
        int rtpmap = Array.IndexOf(text, "a=rtpmap:35 AV1/90000");
        Assert.Equal(["a=rtpmap:35 AV1/90000", "a=fmtp:35 profile=1", "a=rtpmap:36 rtx/90000", "a=fmtp:36 apt=35"], text[rtpmap..(rtpmap + 4)]);
        Assert.Equal("a=rtpmap:120 ulpfec/90000", text[rtpmap - 1]);
        Assert.StartsWith("a=ssrc-group:FID", text[rtpmap + 4], StringComparison.Ordinal);
        Assert.Equal(["35", "36"], video.Formats.TakeLast(2));
        Assert.Equal(36, video.Codecs[^1].RtxPayloadType);
        Assert.Throws<InvalidOperationException>(() => video.AddCodec(new Codec(96, "VP8", 90000)));
        Assert.Throws<InvalidOperationException>(() => video.AddCodec(new Codec(50, "VP8", 90000) { RtxPayloadType = 97 }));
    }

    [Fact]
    public void Setting_the_direction_replaces_the_attribute_where_it_stands()
    {
        MediaDescription audio = GoldenData.Parse(GoldenData.PublishOffer).Media[0];
        int at = IndexOf(audio, "a=sendonly");
        audio.Direction = MediaDirection.RecvOnly;
        Assert.Equal(at, IndexOf(audio, "a=recvonly"));
        Assert.Equal(-1, IndexOf(audio, "a=sendonly"));
        audio.Direction = null;
        Assert.Null(audio.Direction);
        audio.Direction = MediaDirection.Inactive;
        Assert.Equal("a=inactive", audio.Lines[^1].ToString());
        Assert.Equal(MediaDirection.SendOnly, MediaDirection.RecvOnly.Reverse());
        Assert.Equal(MediaDirection.SendRecv, MediaDirection.SendRecv.Reverse());
    }

    [Fact]
    public void ICE_and_DTLS_setters_replace_in_place_and_null_removes()
    {
        MediaDescription video = GoldenData.Parse(GoldenData.PublishOffer).Media[1];
        int at = IndexOf(video, "a=ice-ufrag:iPpS");
        video.IceUfrag = "abcd";
        video.IcePwd = "0123456789012345678901";
        video.Setup = DtlsSetup.Passive;
        video.Set(SfuNegotiation.Fingerprint);
        Assert.Equal(at, IndexOf(video, "a=ice-ufrag:abcd"));
        Assert.Equal(at + 1, IndexOf(video, "a=ice-pwd:0123456789012345678901"));
        Assert.Equal(SfuNegotiation.Fingerprint, Assert.Single(video.Fingerprints));
        Assert.Equal(DtlsSetup.Passive, video.Setup);
        video.IceOptions = ["trickle", "renomination"];
        Assert.Equal("trickle renomination", video.GetAttributeValue("ice-options"));
        video.IceOptions = [];
        video.IceUfrag = null;
        Assert.False(video.HasAttribute("ice-options"));
        Assert.False(video.HasAttribute("ice-ufrag"));
        Assert.Throws<ArgumentException>(() => video.IceUfrag = "bad ufrag");
    }

    [Fact]
    public void Candidates_go_after_the_others_and_before_end_of_candidates()
    {
        SessionDescription offer = GoldenData.Parse(GoldenData.JsepOfferA1);
        MediaDescription audio = offer.Media[0];
        audio.AddCandidate(SfuNegotiation.Candidate);
        Assert.Equal(SfuNegotiation.Candidate, audio.Candidates[^1]);
        Assert.Equal("a=end-of-candidates", audio.Lines[^1].ToString());

        var fresh = MediaDescription.CreateRtp(MediaDescription.Audio, "0");
        fresh.EndOfCandidates = true;
        fresh.AddCandidate(SfuNegotiation.Candidate);
        Assert.Equal(["c=IN IP4 0.0.0.0", "a=mid:0", "a=rtcp-mux", "a=candidate:1 1 UDP 2130706431 192.0.2.10 40000 typ host", "a=end-of-candidates"],
            fresh.Lines.Select(l => l.ToString()));
    }

    [Fact]
    public void Non_attribute_lines_are_inserted_in_RFC_8866_order()
    {
        var session = new SessionDescription(new Origin("-", 1, 1), "Parley");
        session.SetBundle(["0"]);
        session.AddBandwidth(new Bandwidth(Bandwidth.ApplicationSpecific, 2500));
        session.Connection = ConnectionData.Unspecified;
        session.AddLine(new SdpLine('i', "an SFU"));
        Assert.Equal(["v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=Parley", "i=an SFU", "c=IN IP4 0.0.0.0", "b=AS:2500", "t=0 0", "a=group:BUNDLE 0"],
            session.Lines.Select(l => l.ToString()));
        session.SetBundle(["0", "1"]);
        Assert.Equal("a=group:BUNDLE 0 1", session.Lines[^1].ToString());
        Assert.Equal(1, session.RemoveBandwidths());
        Assert.Throws<ArgumentException>(() => session.AddLine(new SdpLine('v', "0")));
        Assert.Throws<ArgumentException>(() => session.AddLine(new SdpLine('a', "rtpmap:x")));
    }

    [Fact]
    public void Raw_attribute_mutators_refuse_malformed_known_attributes_and_keep_unknown_ones()
    {
        MediaDescription video = MediaDescription.CreateRtp(MediaDescription.Video, "1");
        Assert.Throws<ArgumentException>(() => video.AddAttribute("rtpmap", "96 VP8"));
        Assert.Throws<ArgumentException>(() => video.AddAttribute("fingerprint", "sha-256 zz"));
        Assert.Throws<ArgumentException>(() => video.SetAttribute("setup", "sometimes"));
        Assert.Throws<ArgumentException>(() => video.AddAttribute("bad name", null));
        Assert.Throws<ArgumentException>(() => video.AddAttribute("x", "line\r\nbreak"));
        video.AddAttribute("x-google-flag", "conference");
        video.AddAttribute("x-google-flag", "second");
        video.SetAttribute("x-google-flag", "only");
        Assert.Equal(["only"], video.GetAttributeValues("x-google-flag"));
        Assert.Equal(1, video.RemoveAttributes("x-google-flag"));
    }

    [Fact]
    public void Typed_add_set_and_remove_work_for_any_attribute_type()
    {
        MediaDescription video = GoldenData.Parse(GoldenData.PublishOffer).Media[1];
        Assert.True(video.TryGet(out Msid? msid));
        video.Set(new Msid("-", msid.TrackId));
        Assert.Equal("-", Assert.Single(video.Msids).StreamId);
        Assert.Equal(4, video.RemoveAll<Ssrc>(s => s.AttributeName == Ssrc.Msid || s.AttributeName == Ssrc.Cname));
        Assert.Equal(1, video.RemoveAll<SsrcGroup>());
        video.Add(new Rid("f", RidDirection.Recv, [96], [new RidRestriction(RidRestriction.MaxWidth, "1280")]));
        video.Simulcast = new Simulcast(null, [new SimulcastStream("f")]);
        Assert.Equal("f recv pt=96;max-width=1280", video.Rids[0].FormatValue());
        Assert.Equal("recv f", video.GetAttributeValue("simulcast"));
        video.Simulcast = null;
        Assert.Null(video.Simulcast);
    }

    [Fact]
    public void Builders_refuse_values_that_would_not_parse()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rtpmap(128, "VP8", 90000));
        Assert.Throws<ArgumentException>(() => new Rtpmap(96, "VP8/2", 90000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Extmap(0, Extmap.SdesMid));
        Assert.Throws<ArgumentException>(() => new Rid("a b", RidDirection.Send));
        Assert.Throws<ArgumentException>(() => new Simulcast(null, null));
        Assert.Throws<ArgumentException>(() => new FmtpParameter("a;b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IceCandidate("1", 0, IceProtocol.Udp, 1, "192.0.2.1", 1, IceCandidateType.Host));
        Assert.Throws<ArgumentException>(() => new IceCandidate("not-ice-chars", 1, IceProtocol.Udp, 1, "192.0.2.1", 1, IceCandidateType.Host));
        Assert.Throws<ArgumentException>(() => new MediaDescription("video", 9, "UDP//SAVPF", ["96"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MediaDescription.CreateRtp("video", "0").Port = 65536);
        Assert.Throws<ArgumentException>(() => new SdpLine('1', "x"));
        Assert.Throws<ArgumentException>(() => new Origin("a b", 1, 1));
    }

    [Fact]
    public void The_origin_version_is_raised_for_the_next_description()
    {
        SessionDescription answer = GoldenData.Parse(GoldenData.Answer);
        answer.Origin = answer.Origin.NextVersion();
        Assert.Equal("o=- 1345353098667505265 3 IN IP4 127.0.0.1", answer.Lines[1].ToString());
        answer.SessionName = "Parley";
        Assert.Equal("s=Parley", answer.Lines[2].ToString());
    }

    private static int IndexOf(SdpSection section, string line) =>
        section.Lines.Select(l => l.ToString()).ToList().IndexOf(line);
}
