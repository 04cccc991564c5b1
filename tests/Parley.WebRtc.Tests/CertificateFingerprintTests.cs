using Parley.WebRtc.Dtls;

namespace Parley.WebRtc.Tests;

public sealed class CertificateFingerprintTests
{
    [Fact]
    public void The_server_certificate_is_ecdsa_and_its_fingerprint_round_trips_through_sdp_text()
    {
        DtlsCertificate certificate = DtlsCertificate.Create(TimeSpan.FromDays(1));
        string text = certificate.Fingerprint.ToString();
        Assert.Matches("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", text);
        Assert.True(CertificateFingerprint.TryParse(text, out CertificateFingerprint? parsed));
        Assert.True(parsed!.Matches(certificate.Der));
        Assert.Equal("1.2.840.10045.2.1", certificate.Certificate.SubjectPublicKeyInfo.Algorithm.Algorithm.Id); // id-ecPublicKey
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("md5 AB:CD")]
    [InlineData("sha-256 AB:CD")]
    [InlineData("sha-256 ZZ:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00")]
    [InlineData("sha-256 000:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00")]
    public void Malformed_fingerprints_are_refused(string text) => Assert.False(CertificateFingerprint.TryParse(text, out _));

    [Fact]
    public void Algorithm_names_are_case_insensitive_as_browsers_write_them()
    {
        string hex = string.Join(':', Enumerable.Repeat("0a", 32));
        Assert.True(CertificateFingerprint.TryParse("SHA-256 " + hex, out CertificateFingerprint? parsed));
        Assert.Equal("sha-256", parsed!.Algorithm);
        Assert.All(parsed.Value, b => Assert.Equal(10, b));
    }
}
