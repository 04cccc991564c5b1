using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Parley.Srtp;

namespace Parley.Bench.Sfu;

/// <summary>
/// The client side of DTLS-SRTP (RFC 5763, RFC 5764) for BouncyCastle's DTLS 1.2 engine, as a browser that
/// answered <c>a=setup:active</c> is: it offers <c>use_srtp</c> with AES-GCM and AES-CM-HMAC-SHA1-80, presents the
/// peer certificate, checks the server's certificate against the fingerprint of the server's SDP, and exports the
/// SRTP keys when the handshake completes (RFC 5764 §4.2: client key | server key | client salt | server salt).
/// </summary>
internal sealed class DtlsSrtpClient(BcTlsCrypto crypto, PeerCertificate certificate, string serverFingerprint)
    : DefaultTlsClient(crypto)
{
    private const int AeadAes128Gcm = 0x0007;
    private const int Aes128CmHmacSha1_80 = 0x0001;
    private const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    private static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    ];

    private int _profile;

    /// <summary>The SRTP profile and keys, once the handshake has completed.</summary>
    public SrtpKeys? Keys { get; private set; }

    public override int GetHandshakeTimeoutMillis() => 20_000;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => CipherSuites;

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([AeadAes128Gcm, Aes128CmHmacSha1_80], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        UseSrtpData? chosen = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (chosen is null || chosen.ProtectionProfiles.Length != 1
            || chosen.ProtectionProfiles[0] is not (AeadAes128Gcm or Aes128CmHmacSha1_80))
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }

        _profile = chosen.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        SrtpProfile profile = _profile == AeadAes128Gcm ? SrtpProfile.AeadAes128Gcm : SrtpProfile.Aes128CmHmacSha1_80;
        int key = 16, salt = profile == SrtpProfile.AeadAes128Gcm ? 12 : 14;
        byte[] exported = m_context.ExportKeyingMaterial(ExporterLabel, null, 2 * (key + salt));
        Keys = new SrtpKeys(profile, exported[..key], exported[key..(2 * key)], exported[(2 * key)..(2 * key + salt)],
            exported[(2 * key + salt)..]);
    }

    private sealed class Authentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            if (serverCertificate.Certificate.IsEmpty
                || !string.Equals(PeerCertificate.FormatFingerprint(serverCertificate.Certificate.GetCertificateAt(0).GetEncoded()),
                    client._serverFingerprint, StringComparison.OrdinalIgnoreCase))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(client.m_context), client._crypto,
                client._certificate.PrivateKey,
                new Certificate([new BcTlsCertificate(client._crypto, client._certificate.Der)]),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    private readonly BcTlsCrypto _crypto = crypto;
    private readonly PeerCertificate _certificate = certificate;
    private readonly string _serverFingerprint = NormalizeFingerprint(serverFingerprint);

    private static string NormalizeFingerprint(string fingerprint) =>
        string.Join(' ', fingerprint.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim();
}

/// <summary>What a DTLS-SRTP handshake yields: the profile and both sides' master keys and salts.</summary>
internal sealed record SrtpKeys(SrtpProfile Profile, byte[] ClientKey, byte[] ServerKey, byte[] ClientSalt, byte[] ServerSalt);
