using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Parley.Bench.Sfu;

/// <summary>
/// The self-signed ECDSA P-256 certificate the load peers present as DTLS clients (one for all, as one browser
/// profile would), and its SHA-256 fingerprint as <c>a=fingerprint</c> writes it (RFC 8122).
/// </summary>
internal sealed class PeerCertificate
{
    private PeerCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        Der = der;
        PrivateKey = privateKey;
        Fingerprint = FormatFingerprint(der);
    }

    public byte[] Der { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>"sha-256 AB:CD:…".</summary>
    public string Fingerprint { get; }

    public static PeerCertificate Create()
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair keys = generator.GenerateKeyPair();
        var name = new X509Name("CN=parley-bench");
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(BigInteger.ValueOf(RandomNumberGenerator.GetInt32(1, int.MaxValue)));
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        builder.SetNotAfter(DateTime.UtcNow.AddDays(7));
        builder.SetPublicKey(keys.Public);
        X509Certificate certificate = builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keys.Private, random));
        return new PeerCertificate(certificate.GetEncoded(), keys.Private);
    }

    /// <summary>"sha-256 AB:CD:…" of a DER certificate.</summary>
    public static string FormatFingerprint(byte[] der) => "sha-256 " + Convert.ToHexString(SHA256.HashData(der)).Chunk(2)
        .Select(pair => new string(pair)).Aggregate((a, b) => a + ":" + b);
}
