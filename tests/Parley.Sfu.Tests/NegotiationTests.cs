using Microsoft.Extensions.Logging.Abstractions;
using Parley.Sdp;
using Parley.Sfu.Negotiation;
using Parley.WebRtc;

namespace Parley.Sfu.Tests;

/// <summary>The server's SDP for Chromium's own offers (captured from Chromium 156), checked line by line.</summary>
public sealed class NegotiationTests : IAsyncLifetime
{
    private WebRtcServer _server = null!;

    public Task InitializeAsync()
    {
        _server = WebRtcServer.Start(new WebRtcServerOptions { Port = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static SessionDescription Load(string name)
    {
        Assert.True(SessionDescription.TryParse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", name)), out SessionDescription? sdp, out string? error), error);
        return sdp;
    }

    private (SessionDescription Answer, IReadOnlyList<ProducerDescription> Producers, WebRtcTransport Transport) Publish(string file, CodecPreferences? codecs = null)
    {
        WebRtcTransport transport = _server.CreateTransport(null, null);
        (SessionDescription answer, IReadOnlyList<ProducerDescription> producers) = PublishAnswer.Build(Load(file), transport, _server, codecs ?? CodecPreferences.Default);
        Assert.True(SessionDescription.TryParse(answer.ToString(), out SessionDescription? reparsed, out string? error), error);
        return (reparsed, producers, transport);
    }

    [Fact]
    public void The_answer_to_a_publish_offer_is_ice_lite_recvonly_with_one_codec_per_track()
    {
        (SessionDescription answer, IReadOnlyList<ProducerDescription> producers, WebRtcTransport transport) = Publish("chrome-publish-offer.sdp");
        Assert.True(answer.IceLite);
        Assert.Equal(["0", "1"], answer.BundleGroup!.Mids);
        foreach (MediaDescription m in answer.Media)
        {
            Assert.Equal(MediaDirection.RecvOnly, m.Direction);
            Assert.Equal(DtlsSetup.Passive, m.Setup);
            Assert.Equal(transport.LocalCredentials.Ufrag, m.IceUfrag);
            Assert.Equal(transport.LocalCredentials.Password, m.IcePwd);
            Assert.Equal(_server.Certificate.Fingerprint.Value, m.Fingerprints.Single().Digest.ToArray());
            AssertHostCandidates(m);
            Assert.True(m.RtcpMux);
            Assert.DoesNotContain(m.Extmaps, e => e.Uri.Contains("playout-delay", StringComparison.Ordinal));
            Assert.Contains(m.Extmaps, e => e.Uri == Extmap.TransportWideCc && e.Id == 3);
        }

        Codec opus = Assert.Single(answer.Media[0].Codecs);
        Assert.Equal((111, "opus"), (opus.PayloadType, opus.Name));
        Assert.True(opus.HasFeedback(RtcpFeedback.TransportCc));
        Codec vp8 = Assert.Single(answer.Media[1].Codecs);
        Assert.Equal((96, "VP8", 97), (vp8.PayloadType, vp8.Name, vp8.RtxPayloadType!.Value));
        Assert.True(vp8.HasFeedback(RtcpFeedback.Nack, RtcpFeedback.Pli));
        Assert.True(vp8.HasFeedback(RtcpFeedback.Ccm, RtcpFeedback.Fir));

        Assert.Equal([MediaKind.Audio, MediaKind.Video], producers.Select(p => p.Kind));
        Assert.Equal((1762840564u, (uint?)null), (producers[0].Ssrc!.Value, producers[0].RtxSsrc));
        Assert.Equal((2995081019u, 1987470637u), (producers[1].Ssrc!.Value, producers[1].RtxSsrc!.Value));
        Assert.Equal("BXgMFL6HgqXxmAQS", producers[1].Cname);
        Assert.Equal("ebade887-6f08-4c78-a773-83eb93ed62bf", producers[1].StreamLabel);
        Assert.Equal(4, producers[1].ExtensionId(Extmap.SdesMid));
    }

    [Fact]
    public void A_simulcast_offer_is_accepted_layer_by_layer_and_its_layers_are_ordered_as_offered()
    {
        (SessionDescription answer, IReadOnlyList<ProducerDescription> producers, _) = Publish("chrome-simulcast-offer.sdp");
        MediaDescription video = answer.Media.Single(m => m.Media == MediaDescription.Video);
        Assert.Equal(["q", "h", "f"], video.Rids.Select(r => r.Id));
        Assert.All(video.Rids, r => Assert.Equal(RidDirection.Recv, r.Direction));
        Assert.Equal(["q", "h", "f"], video.Simulcast!.Receive.Select(s => s.First.Rid));
        Assert.Empty(video.Simulcast.Send);
        Assert.Contains(video.Extmaps, e => e.Uri == Extmap.SdesRtpStreamId);
        ProducerDescription producer = producers.Single(p => p.Kind == MediaKind.Video);
        Assert.Equal(["q", "h", "f"], producer.Layers);
        Assert.Null(producer.Ssrc);
    }

    [Theory]
    [InlineData("H264")]
    [InlineData("VP9")]
    public void A_forced_video_codec_is_the_one_answered(string codec)
    {
        (SessionDescription answer, IReadOnlyList<ProducerDescription> producers, _) = Publish("chrome-publish-offer.sdp", new CodecPreferences(codec));
        Codec video = Assert.Single(answer.Media[1].Codecs);
        Assert.Equal(codec, video.Name);
        if (codec == "H264")
        {
            Assert.True(video.HasParameter("packetization-mode", "1"));
            Assert.StartsWith("42e0", video.Parameters.Single(p => p.Name == "profile-level-id").Value, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(codec, producers[1].Codec.Name);
    }

    [Fact]
    public void An_offer_without_the_forced_codec_is_refused_as_openvidu_does()
    {
        SessionDescription offer = Load("chrome-publish-offer.sdp");
        offer.Media[1].RetainCodecs(c => c.Is("VP8"));
        WebRtcTransport transport = _server.CreateTransport(null, null);
        NegotiationException refused = Assert.Throws<NegotiationException>(() => PublishAnswer.Build(offer, transport, _server, new CodecPreferences("H264")));
        Assert.True(refused.ForcedCodecMissing);
    }

    [Fact]
    public void Data_channels_are_rejected_and_left_out_of_the_bundle()
    {
        (SessionDescription answer, _, _) = Publish("chrome-datachannel-offer.sdp");
        MediaDescription application = answer.Media.Single(m => m.Media == MediaDescription.Application);
        Assert.Equal(0, application.Port);
        Assert.DoesNotContain(application.Mid, answer.BundleGroup!.Mids);
        Assert.Equal(2, answer.BundleGroup.Mids.Count);
    }

    [Fact]
    public void A_subscriber_offer_is_answered_sendonly_with_its_own_payload_types_and_the_consumers_ssrcs()
    {
        (_, IReadOnlyList<ProducerDescription> producers, _) = Publish("chrome-publish-offer.sdp");
        SessionDescription offer = Load("chrome-recvonly-offer.sdp");
        WebRtcTransport transport = _server.CreateTransport(null, null);
        (SessionDescription answer, IReadOnlyList<ConsumerDescription> consumers) = SubscribeAnswer.Build(offer, producers, transport, _server);
        Assert.True(SessionDescription.TryParse(answer.ToString(), out SessionDescription? reparsed, out _));
        Assert.Equal(2, consumers.Count);
        for (int i = 0; i < 2; i++)
        {
            MediaDescription m = reparsed!.Media[i];
            Assert.Equal(MediaDirection.SendOnly, m.Direction);
            Codec codec = Assert.Single(m.Codecs);
            Assert.Equal(offer.Media[i].Codecs.First(c => c.Is(producers[i].Codec.Name)).PayloadType, codec.PayloadType);
            Assert.Equal(consumers[i].PayloadType, codec.PayloadType);
            Assert.Null(codec.RtxPayloadType);
            Assert.Equal(producers[i].Kind == MediaKind.Video, codec.HasFeedback(RtcpFeedback.GoogRemb)); // the subscriber's estimate picks its layer
            Assert.All(m.Ssrcs, s => Assert.Equal(consumers[i].Ssrc, s.Id));
            Assert.Contains(m.Ssrcs, s => s.AttributeName == Ssrc.Cname && s.AttributeValue == producers[i].Cname);
            Assert.Equal(producers[i].StreamLabel, m.Msids.Single().StreamId);
            Assert.DoesNotContain(m.Extmaps, e => e.Uri == Extmap.TransportWideCc);
            Assert.DoesNotContain((byte)3, consumers[i].SharedExtensionIds);
        }
    }

    [Fact]
    public void The_server_offer_keeps_the_producers_payload_types_and_a_browser_answer_is_checked()
    {
        (_, IReadOnlyList<ProducerDescription> producers, _) = Publish("chrome-publish-offer.sdp");
        WebRtcTransport transport = _server.CreateTransport(null, null);
        (SessionDescription offer, IReadOnlyList<ConsumerDescription> consumers) = SubscriptionOffer.Build(producers, transport, _server, 42);
        Assert.All(offer.Media, m => Assert.Equal(DtlsSetup.ActPass, m.Setup));
        Assert.All(offer.Media, AssertHostCandidates);
        Assert.Equal([111, 96], offer.Media.Select(m => m.Codecs.Single().PayloadType));
        // The subscriber's bandwidth estimate comes from its REMB: goog-remb and abs-send-time are offered for video,
        // transport-cc is not (libwebrtc then runs its receive-side delay-based estimator and sends REMB).
        MediaDescription video = offer.Media[1];
        Assert.True(video.Codecs.Single().HasFeedback(RtcpFeedback.GoogRemb));
        Assert.False(video.Codecs.Single().HasFeedback(RtcpFeedback.TransportCc));
        Assert.Contains(video.Extmaps, e => e.Uri == Extmap.AbsSendTime);
        Assert.DoesNotContain(video.Extmaps, e => e.Uri == Extmap.TransportWideCc);

        // The answer a browser gives: the same sections, receiving, the payload types kept.
        SessionDescription answer = TransportSdp.NewDescription(7, ["0", "1"]);
        foreach (MediaDescription offered in offer.Media)
        {
            MediaDescription m = MediaDescription.CreateRtp(offered.Media, offered.Mid!);
            m.AddCodec(offered.Codecs.Single() with { RtxPayloadType = null });
            m.Direction = MediaDirection.RecvOnly;
            answer.AddMedia(m);
        }

        Assert.Equal(consumers, SubscriptionOffer.Accept(answer, consumers));
        answer.Media[1].RemoveCodec(96);
        answer.Media[1].AddCodec(new Codec(100, "VP8", 90000));
        Assert.Throws<NegotiationException>(() => SubscriptionOffer.Accept(answer, consumers));
    }

    [Fact]
    public void The_server_offer_of_an_aiortc_stream_gives_each_payload_type_and_extension_id_one_meaning_across_the_bundle()
    {
        // aiortc 1.4 numbers header extensions per section: id 2 is the audio level in audio, abs-send-time in video.
        (_, IReadOnlyList<ProducerDescription> producers, _) = Publish("aiortc-publish-offer.sdp");
        Assert.Equal(Extmap.AudioLevel, producers[0].Extensions.Single(e => e.Id == 2).Uri);
        Assert.Equal(Extmap.AbsSendTime, producers[1].Extensions.Single(e => e.Id == 2).Uri);
        WebRtcTransport transport = _server.CreateTransport(null, null);
        (SessionDescription offer, IReadOnlyList<ConsumerDescription> consumers) = SubscriptionOffer.Build(producers, transport, _server, 42);
        Assert.True(SessionDescription.TryParse(offer.ToString(), out SessionDescription? reparsed, out string? error), error);

        Assert.All(reparsed.Media.SelectMany(m => m.Extmaps).GroupBy(e => e.Id), ids => Assert.Single(ids.Select(e => e.Uri).Distinct()));
        Assert.Contains(reparsed.Media[0].Extmaps, e => e.Id == 2 && e.Uri == Extmap.AudioLevel);
        Assert.DoesNotContain(reparsed.Media[1].Extmaps, e => e.Id == 2);
        Assert.Contains(reparsed.Media[1].Extmaps, e => e.Id == 1 && e.Uri == Extmap.SdesMid); // same meaning: kept
        Assert.DoesNotContain((byte)2, consumers[1].SharedExtensionIds); // abs-send-time is not rewritten under a foreign id
        Assert.Equal([96, 97], reparsed.Media.Select(m => m.Codecs.Single().PayloadType)); // distinct already: kept
        Assert.Equal([96, 97], consumers.Select(c => c.PayloadType));
    }

    [Fact]
    public void A_payload_type_two_producers_share_is_offered_once_and_the_later_track_gets_a_free_one()
    {
        (_, IReadOnlyList<ProducerDescription> producers, _) = Publish("aiortc-publish-offer.sdp");
        ProducerDescription video = producers[1] with { Codec = producers[1].Codec with { PayloadType = producers[0].Codec.PayloadType } };
        WebRtcTransport transport = _server.CreateTransport(null, null);
        (SessionDescription offer, IReadOnlyList<ConsumerDescription> consumers) = SubscriptionOffer.Build([producers[0], video], transport, _server, 42);

        Assert.Equal([96, 97], offer.Media.Select(m => m.Codecs.Single().PayloadType));
        Assert.Equal([96, 97], consumers.Select(c => c.PayloadType)); // the consumer rewrites the video packets' 96 to 97
        Assert.Equal("VP8", offer.Media[1].Codecs.Single().Name);
        Assert.Equal(96, consumers[1].Producer.Codec.PayloadType);
    }

    /// <summary>Every section carries the UDP host candidate and, below it in priority, the passive ICE-TCP one on the
    /// same port number (RFC 6544), then end-of-candidates.</summary>
    private void AssertHostCandidates(MediaDescription m)
    {
        Assert.Equal(2, m.Candidates.Count);
        IceCandidate udp = m.Candidates[0];
        IceCandidate tcp = m.Candidates[1];
        Assert.Equal((IceProtocol.Udp, IceCandidateType.Host, _server.LocalEndPoint.Port), (udp.Protocol!.Value, udp.Type, udp.Port));
        Assert.Equal((IceProtocol.Tcp, IceCandidateType.Host, IceTcpType.Passive, _server.LocalEndPoint.Port),
            (tcp.Protocol!.Value, tcp.Type, tcp.TcpType!.Value, tcp.Port));
        Assert.Equal(udp.Address, tcp.Address);
        Assert.NotEqual(udp.Foundation, tcp.Foundation);
        Assert.True(tcp.Priority < udp.Priority);
        Assert.Equal(80u, tcp.Priority >> 24); // type preference below every direct UDP type
        Assert.Equal(4u, (tcp.Priority >> 8 & 0xFFFF) >> 13); // RFC 6544 direction preference of a passive host
        Assert.True(m.EndOfCandidates);
    }

    [Fact]
    public async Task Without_ice_tcp_only_the_udp_candidate_is_announced()
    {
        await using WebRtcServer udpOnly = WebRtcServer.Start(new WebRtcServerOptions { Port = 0, TcpEnabled = false }, TimeProvider.System,
            NullLoggerFactory.Instance);
        WebRtcTransport transport = udpOnly.CreateTransport(null, null);
        (SessionDescription answer, _) = PublishAnswer.Build(Load("chrome-publish-offer.sdp"), transport, udpOnly, CodecPreferences.Default);
        Assert.All(answer.Media, m => Assert.Equal(IceProtocol.Udp, Assert.Single(m.Candidates).Protocol));
        Assert.Null(udpOnly.TcpHostCandidate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not sdp")]
    [InlineData("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n")]
    public void Offers_the_server_cannot_use_are_refused_with_a_reason(string sdp)
    {
        Router router = new SfuServer(_server, TimeProvider.System, NullLoggerFactory.Instance).GetOrCreateRouter("r");
        NegotiationException refused = Assert.Throws<NegotiationException>(() => router.Publish("e", sdp, CodecPreferences.Default));
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
        Assert.Equal(0, router.EndpointCount);
        Assert.Equal(0, _server.TransportCount);
    }
}
