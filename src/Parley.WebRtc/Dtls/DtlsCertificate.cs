using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Parley.WebRtc.Dtls;

/// <summary>
/// The server's DTLS certificate: a self-signed ECDSA P-256 certificate made at start-up, as browsers make theirs
/// (WebRTC authenticates it by the fingerprint in SDP, not by a CA).
/// </summary>
public sealed class DtlsCertificate
{
    private DtlsCertificate(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Der = certificate.GetEncoded();
        Fingerprint = CertificateFingerprint.Sha256Of(Der);
    }

    public CertificateFingerprint Fingerprint { get; }

    internal byte[] Der { get; }

    internal X509Certificate Certificate { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Makes a new key pair and certificate, valid from a day ago for <paramref name="lifetime"/>.</summary>
    public static DtlsCertificate Create(TimeSpan lifetime, TimeProvider? time = null)
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair keys = generator.GenerateKeyPair();

        DateTime now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=Parley");
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(BigIntegers.CreateRandomInRange(BigInteger.One, BigInteger.One.ShiftLeft(63), random));
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(now.AddDays(-1));
        builder.SetNotAfter(now + lifetime);
        builder.SetPublicKey(keys.Public);
        X509Certificate certificate = builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keys.Private, random));
        return new DtlsCertificate(certificate, keys.Private);
    }
}
