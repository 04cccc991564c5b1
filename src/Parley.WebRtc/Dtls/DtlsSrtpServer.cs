using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Parley.WebRtc.Dtls;

/// <summary>
/// The server side of DTLS-SRTP (RFC 5763, RFC 5764) for BouncyCastle's DTLS 1.2 engine: ECDHE-ECDSA suites only
/// (the certificate is ECDSA), a client certificate required and checked against the fingerprint the peer put in
/// its SDP, <c>use_srtp</c> negotiated from <see cref="SrtpProtectionProfiles.Preferred"/>, and the SRTP keys
/// exported when the handshake completes.
/// </summary>
internal sealed class DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, Task<CertificateFingerprint> remoteFingerprint)
    : DefaultTlsServer(crypto)
{
    /// <summary>How long the handshake waits for the peer's fingerprint when the server offered first and the peer's
    /// DTLS arrives before its answer does.</summary>
    private static readonly TimeSpan FingerprintWait = TimeSpan.FromSeconds(10);

    private static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    private SrtpProtectionProfile? _profile;

    /// <summary>Set when the handshake has completed.</summary>
    public SrtpKeyingMaterial? Keys { get; private set; }

    /// <summary>Why the handshake failed, when an alert was raised or received.</summary>
    public string? Failure { get; private set; }

    public override int GetHandshakeTimeoutMillis() => 30_000;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => CipherSuites;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() =>
        new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, certificate.PrivateKey,
            new Certificate([new BcTlsCertificate(crypto, certificate.Der)]),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    /// <summary>WebRTC authenticates the client by its certificate's fingerprint, so one is always requested.</summary>
    public override CertificateRequest GetCertificateRequest() =>
        new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign],
            TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (!remoteFingerprint.Wait(FingerprintWait))
        {
            Failure = "the peer's SDP with its certificate fingerprint did not arrive in time";
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }

        if (clientCertificate.IsEmpty || !remoteFingerprint.Result.Matches(clientCertificate.GetCertificateAt(0).GetEncoded()))
        {
            Failure = "the client's certificate does not match the fingerprint in its SDP";
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        UseSrtpData? offered = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        int[] profiles = offered?.ProtectionProfiles ?? [];
        foreach (SrtpProtectionProfile preferred in SrtpProtectionProfiles.Preferred)
        {
            if (profiles.Contains((int)preferred))
            {
                _profile = preferred;
                return;
            }
        }

        Failure = "the client offers no SRTP protection profile this server supports";
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        IDictionary<int, byte[]> extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([(int)_profile!.Value], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        SrtpProtectionProfile profile = _profile!.Value;
        byte[] exported = m_context.ExportKeyingMaterial(SrtpKeyingMaterial.ExporterLabel, null, SrtpKeyingMaterial.ExportLength(profile));
        Keys = SrtpKeyingMaterial.FromExported(profile, exported);
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
    {
        Failure ??= $"sent alert {AlertDescription.GetText(alertDescription)}: {message}";
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        if (alertLevel == AlertLevel.fatal)
        {
            Failure ??= $"received alert {AlertDescription.GetText(alertDescription)}";
        }
    }
}
