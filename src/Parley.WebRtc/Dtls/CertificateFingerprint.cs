using System.Globalization;
using System.Security.Cryptography;

namespace Parley.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5: <c>a=fingerprint:sha-256 AB:CD:…</c>). Only
/// SHA-256 is produced; SHA-256/384/512 are accepted from peers (browsers send SHA-256).
/// </summary>
public sealed class CertificateFingerprint
{
    private CertificateFingerprint(string algorithm, byte[] value)
    {
        Algorithm = algorithm;
        Value = value;
    }

    /// <summary>The hash function name, lower case (<c>sha-256</c>).</summary>
    public string Algorithm { get; }

    public byte[] Value { get; }

    public static CertificateFingerprint Sha256Of(ReadOnlySpan<byte> certificateDer) => new("sha-256", SHA256.HashData(certificateDer));

    /// <summary>Parses <c>"sha-256 AB:CD:…"</c>; false for unknown algorithms or malformed hex.</summary>
    public static bool TryParse(string text, out CertificateFingerprint? fingerprint)
    {
        fingerprint = null;
        string[] parts = text.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }

        string algorithm = parts[0].ToLowerInvariant();
        int length = algorithm switch { "sha-256" => 32, "sha-384" => 48, "sha-512" => 64, _ => 0 };
        string[] octets = parts[1].Split(':');
        if (length == 0 || octets.Length != length)
        {
            return false;
        }

        byte[] value = new byte[length];
        for (int i = 0; i < length; i++)
        {
            if (octets[i].Length != 2 || !byte.TryParse(octets[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value[i]))
            {
                return false;
            }
        }

        fingerprint = new CertificateFingerprint(algorithm, value);
        return true;
    }

    /// <summary>Whether <paramref name="certificateDer"/> hashes to this fingerprint (compared in constant time).</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        byte[] hash = Algorithm switch
        {
            "sha-256" => SHA256.HashData(certificateDer),
            "sha-384" => SHA384.HashData(certificateDer),
            _ => SHA512.HashData(certificateDer),
        };
        return CryptographicOperations.FixedTimeEquals(hash, Value);
    }

    /// <summary><c>sha-256 AB:CD:…</c>, as written after <c>a=fingerprint:</c>.</summary>
    public override string ToString() => $"{Algorithm} {string.Join(':', Value.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)))}";
}
