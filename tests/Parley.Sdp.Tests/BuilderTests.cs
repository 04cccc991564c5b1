namespace Parley.Sdp.Tests;

/// <summary>
/// Descriptions the SFU writes (<see cref="SfuNegotiation"/>), compared with approved files under Data/ that Chromium
/// was shown to accept: the answers were set as remote descriptions on peer connections holding an offer of the same
/// shape, and Chromium answered the subscribe offer and fired a track per section. On a mismatch the new text is
/// written to the temp directory for review.
/// </summary>
public sealed class BuilderTests
{
    [Theory]
    [InlineData(GoldenData.PublishOffer, GoldenData.AnswerToPublish)]
    [InlineData(GoldenData.SimulcastOffer, GoldenData.AnswerToSimulcast)]
    [InlineData(GoldenData.DataChannelOffer, GoldenData.AnswerRejectingData)]
    public void The_answer_to_a_Chrome_offer_is_the_approved_one(string offer, string approved) =>
        AssertApproved(approved, SfuNegotiation.Answer(GoldenData.Parse(offer), 4611686018427387904).ToString());

    [Fact]
    public void The_subscribe_offer_is_the_approved_one() =>
        AssertApproved(GoldenData.SubscribeOffer, SfuNegotiation.SubscribeOffer(4611686018427387905).ToString());

    [Fact]
    public void The_answer_to_the_publish_offer_receives_the_chosen_codecs_on_the_offered_payload_types()
    {
        SessionDescription answer = SfuNegotiation.Answer(GoldenData.Parse(GoldenData.PublishOffer), 1);
        Assert.True(answer.IceLite);
        Assert.Equal(["0", "1"], answer.BundleGroup!.Mids);
        MediaDescription audio = answer.Media[0];
        MediaDescription video = answer.Media[1];
        Assert.Equal(MediaDirection.RecvOnly, video.Direction);
        Assert.Equal(DtlsSetup.Passive, video.Setup);
        Assert.Equal([(111, "opus", (int?)null)], audio.Codecs.Select(c => (c.PayloadType, c.Name, c.RtxPayloadType)));
        Assert.Equal([(96, "VP8", (int?)97), (108, "H264", 109)], video.Codecs.Select(c => (c.PayloadType, c.Name, c.RtxPayloadType)));
        Assert.Equal(["96", "97", "108", "109"], video.Formats);
        Assert.DoesNotContain(video.Codecs.SelectMany(c => c.Feedback), f => f.Type == RtcpFeedback.GoogRemb);
        Assert.Equal([2, 3, 4, 10, 11], video.Extmaps.Select(e => e.Id));
        Assert.Equal(SfuNegotiation.Candidate, Assert.Single(video.Candidates));
        Assert.True(video.EndOfCandidates);

        TransportParameters transport = answer.GetTransportParameters(video);
        Assert.Equal((SfuNegotiation.Ufrag, SfuNegotiation.Pwd, true), (transport.IceUfrag, transport.IcePwd, transport.IceLite));
        Assert.Equal(SfuNegotiation.Fingerprint, Assert.Single(transport.Fingerprints));
    }

    [Fact]
    public void The_answer_to_the_simulcast_offer_receives_the_three_rids()
    {
        MediaDescription video = SfuNegotiation.Answer(GoldenData.Parse(GoldenData.SimulcastOffer), 1).Media[1];
        Assert.Equal(["q", "h", "f"], video.Rids.Select(r => r.Id));
        Assert.All(video.Rids, r => Assert.Equal(RidDirection.Recv, r.Direction));
        Assert.Equal("recv q;h;f", video.Simulcast!.FormatValue());
    }

    [Fact]
    public void The_answer_rejects_the_data_channel_and_leaves_it_out_of_the_bundle()
    {
        SessionDescription answer = SfuNegotiation.Answer(GoldenData.Parse(GoldenData.DataChannelOffer), 1);
        MediaDescription data = answer.Media[2];
        Assert.True(data.IsRejected);
        Assert.Equal("application 0 UDP/DTLS/SCTP webrtc-datachannel", data.FormatMediaLine());
        Assert.Equal(["0", "1"], answer.BundleGroup!.Mids);
        Assert.Equal(MediaDirection.SendRecv, answer.Media[0].Direction);
    }

    [Fact]
    public void The_subscribe_offer_sends_with_sources_and_offers_both_DTLS_roles()
    {
        SessionDescription offer = SfuNegotiation.SubscribeOffer(1);
        MediaDescription video = offer.Media[1];
        Assert.Equal((MediaDirection.SendOnly, DtlsSetup.ActPass), (video.Direction, video.Setup));
        Assert.Equal([2001u, 2002u], Assert.Single(video.SsrcGroups).Ssrcs);
        Assert.Equal(new Msid("parley-stream", "parley-video"), Assert.Single(video.Msids));
        Codec vp8 = Assert.Single(video.Codecs);
        Assert.Equal((96, 97, 4), (vp8.PayloadType, vp8.RtxPayloadType, vp8.Feedback.Count));
        Assert.All(vp8.Feedback, f => Assert.Equal(96, f.PayloadType));
    }

    private static void AssertApproved(string name, string actual)
    {
        string path = Path.Combine(GoldenData.Directory, name);
        string? approved = File.Exists(path) ? File.ReadAllText(path) : null;
        if (approved != actual)
        {
            string received = Path.Combine(Path.GetTempPath(), "parley-sdp-received");
            Directory.CreateDirectory(received);
            File.WriteAllText(Path.Combine(received, name), actual);
            Assert.Fail($"{name} differs from the approved file; the new text is in {received}.");
        }

        Assert.True(SessionDescription.TryParse(actual, out SessionDescription? parsed, out string? error), error);
        Assert.Equal(actual, parsed.ToString());
    }
}
