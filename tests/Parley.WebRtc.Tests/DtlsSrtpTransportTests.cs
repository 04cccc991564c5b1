using System.Net;
using System.Net.Sockets;
using Parley.WebRtc.Dtls;

namespace Parley.WebRtc.Tests;

/// <summary>DTLS-SRTP with OpenSSL's DTLS client as the peer, over real UDP on loopback.</summary>
public sealed class DtlsSrtpTransportTests : IDisposable
{
    private readonly OpenSslDtlsClient _openssl = new();
    private readonly DtlsCertificate _certificate = DtlsCertificate.Create(TimeSpan.FromDays(30));

    public void Dispose() => _openssl.Dispose();

    /// <summary>Runs a handshake between OpenSSL and a transport expecting <paramref name="expectedFingerprint"/>.</summary>
    private async Task<(Task<SrtpKeyingMaterial> Keys, string OpenSslOutput)> HandshakeAsync(string expectedFingerprint, string profiles, int exportLength)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint? peer = null;
        Assert.True(CertificateFingerprint.TryParse(expectedFingerprint, out CertificateFingerprint? fingerprint));
        using var transport = new DtlsSrtpTransport(_certificate, fingerprint!, datagram => socket.SendTo(datagram, SocketFlags.None, peer!));
        using var stop = new CancellationTokenSource();
        Task pump = Task.Run(async () =>
        {
            byte[] buffer = new byte[2048];
            while (!stop.IsCancellationRequested)
            {
                SocketReceiveFromResult received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                peer = received.RemoteEndPoint;
                transport.Receive(buffer.AsSpan(0, received.ReceivedBytes));
            }
        });
        string output = await _openssl.ConnectAsync(((IPEndPoint)socket.LocalEndPoint!).Port, profiles, exportLength);
        await Task.WhenAny(transport.HandshakeAsync, Task.Delay(5000));
        await stop.CancelAsync();
        await pump.ContinueWith(_ => { }, TaskScheduler.Default);
        return (transport.HandshakeAsync, output);
    }

    [Theory]
    [InlineData("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", SrtpProtectionProfile.AeadAes128Gcm, "SRTP_AEAD_AES_128_GCM")]
    [InlineData("SRTP_AES128_CM_SHA1_80", SrtpProtectionProfile.Aes128CmHmacSha1_80, "SRTP_AES128_CM_SHA1_80")]
    public async Task The_keys_exported_match_what_openssl_exports(string offered, SrtpProtectionProfile expected, string expectedName)
    {
        int length = SrtpKeyingMaterial.ExportLength(expected);
        (Task<SrtpKeyingMaterial> keys, string output) = await HandshakeAsync(_openssl.Fingerprint, offered, length);
        Assert.True(keys.IsCompletedSuccessfully, output);
        SrtpKeyingMaterial material = await keys;
        Assert.Equal(expected, material.Profile);
        Assert.Equal(expectedName, OpenSslDtlsClient.NegotiatedProfile(output));
        byte[] exported = OpenSslDtlsClient.ExportedKeyingMaterial(output) ?? throw new Xunit.Sdk.XunitException("no keying material in:\n" + output);
        byte[] ours = [.. material.ClientKey, .. material.ServerKey, .. material.ClientSalt, .. material.ServerSalt];
        Assert.Equal(Convert.ToHexString(exported), Convert.ToHexString(ours));
        Assert.Equal(16, material.ClientKey.Length);
        Assert.Equal(expected == SrtpProtectionProfile.AeadAes128Gcm ? 12 : 14, material.ClientSalt.Length);
    }

    [Fact]
    public async Task A_client_whose_certificate_does_not_match_its_sdp_fingerprint_is_refused()
    {
        string other = "sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32));
        (Task<SrtpKeyingMaterial> keys, string output) = await HandshakeAsync(other, "SRTP_AES128_CM_SHA1_80", 60);
        DtlsHandshakeException failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => keys);
        Assert.Contains("fingerprint", failure.Message);
        Assert.Contains("bad certificate", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_client_offering_no_supported_srtp_profile_is_refused()
    {
        (Task<SrtpKeyingMaterial> keys, _) = await HandshakeAsync(_openssl.Fingerprint, "SRTP_AES128_CM_SHA1_32", 60);
        DtlsHandshakeException failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => keys);
        Assert.Contains("SRTP", failure.Message);
    }
}
