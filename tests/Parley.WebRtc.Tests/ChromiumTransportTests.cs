using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.WebRtc.Dtls;

namespace Parley.WebRtc.Tests;

/// <summary>
/// Chromium's RTCPeerConnection against the ICE-lite transport on the shared UDP port: Chromium offers, the test
/// answers with the transport's credentials, fingerprint and host candidate, and Chromium must reach
/// <c>connected</c> (ICE and DTLS done) with the same SRTP profile the server exported keys for.
/// </summary>
public sealed partial class ChromiumTransportTests : IAsyncLifetime
{
    private WebRtcServer _server = null!;
    private ChromiumPeer _chromium = null!;

    public async Task InitializeAsync()
    {
        _server = WebRtcServer.Start(new WebRtcServerOptions { ListeningIp = "127.0.0.1", Port = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        _chromium = await ChromiumPeer.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>The answer an ICE-lite, DTLS-passive server gives to a one-m-line audio offer.</summary>
    private string Answer(WebRtcTransport transport, string mid, string? candidate = null) => string.Join("\r\n",
        "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", $"a=group:BUNDLE {mid}", "a=ice-lite",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0",
        $"a=ice-ufrag:{transport.LocalCredentials.Ufrag}", $"a=ice-pwd:{transport.LocalCredentials.Password}",
        $"a=fingerprint:{_server.Certificate.Fingerprint}", "a=setup:passive", $"a=mid:{mid}", "a=recvonly", "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2", $"a={candidate ?? _server.HostCandidate}", "a=end-of-candidates", "");

    [Fact]
    public Task Chromium_connects_over_ice_lite_and_dtls_and_both_sides_agree_on_srtp() => ConnectAsync(tcp: false);

    /// <summary>Only the passive ICE-TCP candidate is answered: Chromium opens a TCP connection to the media port and
    /// runs ICE and DTLS over it in RFC 4571 frames; the transport selects that connection.</summary>
    [Fact]
    public Task Chromium_connects_over_ice_tcp_when_only_the_tcp_candidate_is_offered() => ConnectAsync(tcp: true);

    private async Task ConnectAsync(bool tcp)
    {
        string offer = await _chromium.Page.EvaluateAsync<string>("""
            async () => {
              window.pc = new RTCPeerConnection();
              pc.addTransceiver('audio', { direction: 'sendonly' });
              const offer = await pc.createOffer();
              await pc.setLocalDescription(offer);
              return offer.sdp;
            }
            """);
        Assert.True(CertificateFingerprint.TryParse(FingerprintLine().Match(offer).Groups[1].Value, out CertificateFingerprint? fingerprint));
        string remoteUfrag = UfragLine().Match(offer).Groups[1].Value;
        string mid = MidLine().Match(offer).Groups[1].Value;
        WebRtcTransport transport = _server.CreateTransport(fingerprint!, remoteUfrag);

        string result = await _chromium.Page.EvaluateAsync<string>("""
            async answer => {
              await pc.setRemoteDescription({ type: 'answer', sdp: answer });
              const deadline = Date.now() + 10000;
              while (pc.connectionState !== 'connected' && pc.connectionState !== 'failed' && Date.now() < deadline) {
                await new Promise(r => setTimeout(r, 50));
              }
              let dtls = {};
              const stats = await pc.getStats();
              stats.forEach(s => { if (s.type === 'transport') dtls = s; });
              const pair = stats.get(dtls.selectedCandidatePairId);
              const local = pair ? stats.get(pair.localCandidateId) : undefined;
              return JSON.stringify({ state: pc.connectionState, ice: pc.iceConnectionState, srtp: dtls.srtpCipher, dtlsState: dtls.dtlsState,
                role: dtls.dtlsRole, protocol: local?.protocol ?? '' });
            }
            """, Answer(transport, mid, tcp ? _server.TcpHostCandidate : null));
        using JsonDocument stats = JsonDocument.Parse(result);
        Assert.Equal("connected", stats.RootElement.GetProperty("state").GetString());
        Assert.Equal("connected", stats.RootElement.GetProperty("dtlsState").GetString());
        Assert.Equal("client", stats.RootElement.GetProperty("role").GetString());

        SrtpKeyingMaterial keys = await transport.Connected.WaitAsync(TimeSpan.FromSeconds(5));
        string expectedCipher = keys.Profile == SrtpProtectionProfile.AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
        Assert.Equal(expectedCipher, stats.RootElement.GetProperty("srtp").GetString());
        Assert.NotNull(transport.SelectedRemote);
        Assert.Equal("127.0.0.1", transport.SelectedRemote!.Value.ToIPAddress().ToString());
        Assert.Equal(tcp ? "tcp" : "udp", stats.RootElement.GetProperty("protocol").GetString());
        Assert.Equal(tcp, transport.SelectedIsTcp);
        Assert.True(tcp ? _server.TcpConnectionCount >= 1 : _server.TcpConnectionCount == 0, $"{_server.TcpConnectionCount} ICE-TCP connections");
    }

    [GeneratedRegex(@"a=fingerprint:(\S+ \S+)")]
    private static partial Regex FingerprintLine();

    [GeneratedRegex(@"a=ice-ufrag:(\S+)")]
    private static partial Regex UfragLine();

    [GeneratedRegex(@"a=mid:(\S+)")]
    private static partial Regex MidLine();
}
