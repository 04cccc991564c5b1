namespace Parley.Sdp.Tests;

/// <summary>Table tests of each typed attribute's grammar: what reads, how it reads, and what is refused.</summary>
public sealed class AttributeGrammarTests
{
    [Theory]
    [InlineData("111 opus/48000/2", 111, "opus", 48000u, 2)]
    [InlineData("96 VP8/90000", 96, "VP8", 90000u, null)]
    [InlineData("0 PCMU/8000", 0, "PCMU", 8000u, null)]
    [InlineData("49 flexfec-03/90000", 49, "flexfec-03", 90000u, null)]
    [InlineData("127 telephone-event/48000/1", 127, "telephone-event", 48000u, 1)]
    public void Rtpmap_reads_payload_type_encoding_clock_rate_and_channels(string value, int pt, string name, uint clock, int? channels)
    {
        Assert.True(Rtpmap.TryParseValue(value, out Rtpmap? map));
        Assert.Equal(new Rtpmap(pt, name, clock, channels), map);
        Assert.Equal(value, map.FormatValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("111")]
    [InlineData("111 ")]
    [InlineData("111 opus")]
    [InlineData("111 opus/")]
    [InlineData("111 opus/48k")]
    [InlineData("111 opus/48000/")]
    [InlineData("111 opus/48000/0")]
    [InlineData("111 opus/48000/2/1")]
    [InlineData("128 opus/48000")]
    [InlineData("-1 opus/48000")]
    [InlineData("x opus/48000")]
    [InlineData("111 op:us/48000")]
    [InlineData("111  opus/48000")]
    [InlineData("111 /48000")]
    public void Rtpmap_refuses_what_is_not_its_grammar(string value) => Assert.False(Rtpmap.TryParseValue(value, out _));

    [Theory]
    [InlineData("97 apt=96", "apt=96")]
    [InlineData("102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")]
    [InlineData("111 minptime=10;useinbandfec=1", "minptime=10;useinbandfec=1")]
    [InlineData("63 111/111", "111/111")]
    [InlineData("97 profile-level-id=42c01f; max-fs=3600", "profile-level-id=42c01f;max-fs=3600")]
    [InlineData("97 a=1;;b=2;", "a=1;b=2")]
    [InlineData("97 key=", "key=")]
    [InlineData("97 sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==", "sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==")]
    [InlineData("97", "")]
    public void Fmtp_reads_ordered_parameters(string value, string parameters)
    {
        Assert.True(Fmtp.TryParseValue(value, out Fmtp? fmtp));
        Assert.Equal(parameters, string.Join(';', fmtp.Parameters));
    }

    [Fact]
    public void Fmtp_parameters_keep_their_order_and_values_with_equals_signs()
    {
        Assert.True(Fmtp.TryParseValue("97 b=2;a=1;sprop=AA==", out Fmtp? fmtp));
        Assert.Equal(["b", "a", "sprop"], fmtp.Parameters.Select(p => p.Name));
        Assert.True(fmtp.TryGetParameter("SPROP", out string? sprop));
        Assert.Equal("AA==", sprop);
        Assert.False(fmtp.TryGetParameter("c", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("x apt=96")]
    [InlineData("128 apt=96")]
    [InlineData("97 =96")]
    [InlineData("97 a=1; =2")]
    public void Fmtp_refuses_a_bad_payload_type_or_a_nameless_parameter(string value) => Assert.False(Fmtp.TryParseValue(value, out _));

    [Theory]
    [InlineData("96 nack", 96, "nack", null)]
    [InlineData("96 nack pli", 96, "nack", "pli")]
    [InlineData("96 ccm fir", 96, "ccm", "fir")]
    [InlineData("96 goog-remb", 96, "goog-remb", null)]
    [InlineData("111 transport-cc", 111, "transport-cc", null)]
    [InlineData("* nack", null, "nack", null)]
    [InlineData("98 trr-int 100", 98, "trr-int", "100")]
    [InlineData("96 ccm tmmbr smaxpr=120", 96, "ccm", "tmmbr smaxpr=120")]
    public void RtcpFeedback_reads_payload_type_or_wildcard_type_and_subtype(string value, int? pt, string type, string? subtype)
    {
        Assert.True(RtcpFeedback.TryParseValue(value, out RtcpFeedback? feedback));
        Assert.Equal(new RtcpFeedback(pt, type, subtype), feedback);
        Assert.Equal(value, feedback.FormatValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("96")]
    [InlineData("96 ")]
    [InlineData("** nack")]
    [InlineData("300 nack")]
    [InlineData("96 na:ck")]
    [InlineData("96 nack ")]
    [InlineData("96 nack  pli")]
    public void RtcpFeedback_refuses_what_is_not_its_grammar(string value) => Assert.False(RtcpFeedback.TryParseValue(value, out _));

    [Theory]
    [InlineData("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", 1, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", null)]
    [InlineData("2/recvonly urn:x", 2, MediaDirection.RecvOnly, "urn:x", null)]
    [InlineData("14 urn:x vad=on", 14, null, "urn:x", "vad=on")]
    [InlineData("255/sendrecv urn:x a b", 255, MediaDirection.SendRecv, "urn:x", "a b")]
    [InlineData("4096 urn:x", 4096, null, "urn:x", null)]
    public void Extmap_reads_id_direction_uri_and_attributes(string value, int id, MediaDirection? direction, string uri, string? attributes)
    {
        Assert.True(Extmap.TryParseValue(value, out Extmap? extmap));
        Assert.Equal(new Extmap(id, uri, direction, attributes), extmap);
        Assert.Equal(value, extmap.FormatValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("0 urn:x")]
    [InlineData("256 urn:x")]
    [InlineData("4352 urn:x")]
    [InlineData("x urn:x")]
    [InlineData("1/both urn:x")]
    [InlineData("1/ urn:x")]
    [InlineData("1  urn:x")]
    public void Extmap_refuses_bad_ids_directions_and_missing_uris(string value) => Assert.False(Extmap.TryParseValue(value, out _));

    [Theory]
    [InlineData("sha-256 0B:51:59:21:95:B3:EA:08:46:AE:C2:9E:CB:2B:1F:AF:7C:0D:EE:DE:4A:78:18:9E:57:5E:D6:56:F5:66:FA:F5", 32)]
    [InlineData("sha-1 42:89:c5:c6:55:9d:6e:c8:e8:83:55:2a:39:f9:b6:eb:e9:a3:a9:e7", 20)]
    [InlineData("SHA-256 0B:51:59:21:95:B3:EA:08:46:AE:C2:9E:CB:2B:1F:AF:7C:0D:EE:DE:4A:78:18:9E:57:5E:D6:56:F5:66:FA:F5", 32)]
    [InlineData("x-unknown AB", 1)]
    public void Fingerprint_reads_colon_hex_in_either_case(string value, int length)
    {
        Assert.True(Fingerprint.TryParseValue(value, out Fingerprint? fingerprint));
        Assert.Equal(length, fingerprint.Digest.Length);
        Assert.Equal(value.ToUpperInvariant(), fingerprint.FormatValue().ToUpperInvariant());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("sha-256 ")]
    [InlineData("sha-256 0B:51:59")]
    [InlineData("sha-256 0G:51")]
    [InlineData("sha-256 0B:5")]
    [InlineData("sha-256 0B::51")]
    [InlineData("sha-256 0B-51")]
    [InlineData("sha-256 0B51")]
    [InlineData("sha-256 :0B")]
    [InlineData("sha-256 0B:")]
    [InlineData("x-unknown 0B:")]
    [InlineData("sha-1 42:89:c5:c6:55:9d:6e:c8:e8:83:55:2a:39:f9:b6:eb:e9:a3:a9")]
    [InlineData("sha:256 0B")]
    public void Fingerprint_refuses_bad_hex_and_digests_of_the_wrong_length(string value) =>
        Assert.False(Fingerprint.TryParseValue(value, out _));

    [Fact]
    public void Fingerprint_computes_and_matches_a_certificate_digest_in_constant_time()
    {
        byte[] certificate = [0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x01];
        Fingerprint fingerprint = Fingerprint.Compute(certificate);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate)), Convert.ToHexString(fingerprint.Digest.Span));
        Assert.True(fingerprint.Matches(certificate));
        Assert.False(fingerprint.Matches([.. certificate, 0]));
        Assert.True(Fingerprint.TryParseValue(fingerprint.FormatValue(), out Fingerprint? parsed));
        Assert.Equal(fingerprint, parsed);
        Assert.Throws<ArgumentException>(() => new Fingerprint(Fingerprint.Sha256, new byte[20]));
    }

    [Theory]
    [InlineData("q send", "q", RidDirection.Send, "", "")]
    [InlineData("c recv pt=97", "c", RidDirection.Recv, "97", "")]
    [InlineData("1 send pt=97,98;max-width=1280;max-height=720", "1", RidDirection.Send, "97,98", "max-width=1280;max-height=720")]
    [InlineData("r-1_a send max-fps=30;depend=0", "r-1_a", RidDirection.Send, "", "max-fps=30;depend=0")]
    [InlineData("x send flag", "x", RidDirection.Send, "", "flag")]
    public void Rid_reads_id_direction_payload_types_and_restrictions(string value, string id, RidDirection direction, string pts, string restrictions)
    {
        Assert.True(Rid.TryParseValue(value, out Rid? rid));
        Assert.Equal((id, direction), (rid.Id, rid.Direction));
        Assert.Equal(pts, string.Join(',', rid.PayloadTypes));
        Assert.Equal(restrictions, string.Join(';', rid.Restrictions));
        Assert.Equal(value, rid.FormatValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("q")]
    [InlineData("q sendrecv")]
    [InlineData("q  send")]
    [InlineData("q. send")]
    [InlineData("q send max-width=1;pt=97")]
    [InlineData("q send pt=")]
    [InlineData("q send pt=x")]
    [InlineData("q send max_width=1")]
    [InlineData("q send max-width=1;")]
    public void Rid_refuses_what_is_not_its_grammar(string value) => Assert.False(Rid.TryParseValue(value, out _));

    [Theory]
    [InlineData("send q;h;f", "q;h;f", "")]
    [InlineData("send 1,~4;2;3 recv c", "1,~4;2;3", "c")]
    [InlineData("recv c send 1", "1", "c")]
    [InlineData("recv ~a,b", "", "~a,b")]
    public void Simulcast_reads_send_and_recv_lists_with_alternatives_and_pauses(string value, string send, string receive)
    {
        Assert.True(Simulcast.TryParseValue(value, out Simulcast? simulcast));
        Assert.Equal(send, string.Join(';', simulcast.Send));
        Assert.Equal(receive, string.Join(';', simulcast.Receive));
    }

    [Theory]
    [InlineData("")]
    [InlineData("send")]
    [InlineData("send q recv")]
    [InlineData("send q send h")]
    [InlineData("both q")]
    [InlineData("send q;;h")]
    [InlineData("send q,")]
    [InlineData("send ~")]
    [InlineData("send rid=1,4;2;3 paused=4")]
    [InlineData(" send q")]
    public void Simulcast_refuses_what_is_not_its_grammar(string value) => Assert.False(Simulcast.TryParseValue(value, out _));

    [Theory]
    [InlineData("BUNDLE 0 1 2", "BUNDLE", 3)]
    [InlineData("BUNDLE", "BUNDLE", 0)]
    [InlineData("LS a1 v1", "LS", 2)]
    public void Group_reads_semantics_and_mids(string value, string semantics, int count)
    {
        Assert.True(Group.TryParseValue(value, out Group? group));
        Assert.Equal((semantics, count), (group.Semantics, group.Mids.Count));
        Assert.Equal(value, group.FormatValue());
    }

    [Theory]
    [InlineData("1762840564 cname:BXgMFL6HgqXxmAQS", 1762840564u, "cname", "BXgMFL6HgqXxmAQS")]
    [InlineData("1 msid:stream track", 1u, "msid", "stream track")]
    [InlineData("4294967295 foo", 4294967295u, "foo", null)]
    public void Ssrc_reads_the_source_and_its_attribute(string value, uint id, string name, string? attribute)
    {
        Assert.True(Ssrc.TryParseValue(value, out Ssrc? ssrc));
        Assert.Equal(new Ssrc(id, name, attribute), ssrc);
        Assert.Equal(value, ssrc.FormatValue());
    }

    [Theory]
    [InlineData("ssrc", "4294967296 cname:x")]
    [InlineData("ssrc", "1")]
    [InlineData("ssrc", "x cname:x")]
    [InlineData("ssrc-group", "FID 1 x")]
    [InlineData("ssrc-group", "")]
    [InlineData("msid", "a b c")]
    [InlineData("msid", "")]
    [InlineData("group", "")]
    [InlineData("group", "BUNDLE 0 ")]
    [InlineData("rtcp", "x IN IP4 0.0.0.0")]
    [InlineData("rtcp", "9 IN IP4")]
    [InlineData("rtcp", "65536")]
    [InlineData("msid-semantic", "")]
    public void Other_attributes_refuse_malformed_values(string name, string value) =>
        Assert.Null(Record.Exception(() => Assert.False(TryParse(name, value))));

    private static bool TryParse(string name, string value) => name switch
    {
        "ssrc" => Ssrc.TryParseValue(value, out _),
        "ssrc-group" => SsrcGroup.TryParseValue(value, out _),
        "msid" => Msid.TryParseValue(value, out _),
        "group" => Group.TryParseValue(value, out _),
        "rtcp" => RtcpAddress.TryParseValue(value, out _),
        "msid-semantic" => MsidSemantic.TryParseValue(value, out _),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
