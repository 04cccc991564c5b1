using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Parley.Sdp;

/// <summary>
/// <c>a=fingerprint:&lt;hash-func&gt; &lt;fingerprint&gt;</c> (RFC 8122 §5): the hash of the DTLS certificate the endpoint
/// will present, as colon-separated hex pairs: <c>sha-256 0B:51:59:...</c>. Read in either case, written in upper case as
/// the RFC's grammar asks. A known hash function must come with a digest of its length.
/// </summary>
public sealed class Fingerprint : ISdpAttribute<Fingerprint>, IEquatable<Fingerprint>
{
    public const string Sha1 = "sha-1";
    public const string Sha256 = "sha-256";
    public const string Sha384 = "sha-384";
    public const string Sha512 = "sha-512";

    private readonly byte[] _digest;

    public Fingerprint(string hashFunction, ReadOnlySpan<byte> digest)
    {
        HashFunction = SdpGrammar.RequireToken(hashFunction, nameof(hashFunction));
        if (digest.IsEmpty || (DigestLength(hashFunction) is int expected && digest.Length != expected))
        {
            throw new ArgumentException($"A {hashFunction} fingerprint cannot be {digest.Length} bytes.", nameof(digest));
        }

        _digest = digest.ToArray();
    }

    public static string AttributeName => "fingerprint";

    /// <summary>The hash function's name from the IANA "Hash Function Textual Names" registry, e.g. <c>sha-256</c>.</summary>
    public string HashFunction { get; }

    public ReadOnlyMemory<byte> Digest => _digest;

    /// <summary>The fingerprint of a DER-encoded certificate, with sha-1, sha-256, sha-384 or sha-512.</summary>
    public static Fingerprint Compute(ReadOnlySpan<byte> certificateDer, string hashFunction = Sha256) =>
        new(hashFunction, Hash(hashFunction, certificateDer) ?? throw new NotSupportedException($"Cannot compute {hashFunction}."));

    /// <summary>Whether a certificate (DER) has this fingerprint, compared in constant time; false for hash functions
    /// this library cannot compute.</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        Hash(HashFunction, certificateDer) is byte[] digest && CryptographicOperations.FixedTimeEquals(digest, _digest);

    public static bool TryParseValue(string value, [NotNullWhen(true)] out Fingerprint? attribute)
    {
        attribute = null;
        if (!SdpGrammar.TrySplitFirst(value, out string hash, out string hex) || !SdpGrammar.IsToken(hash)
            || !TryParseHex(hex, out byte[] digest)
            || (DigestLength(hash) is int expected && digest.Length != expected))
        {
            return false;
        }

        attribute = new Fingerprint(hash, digest);
        return true;
    }

    public string FormatValue() => $"{HashFunction} {FormatHex(_digest)}";

    public override string ToString() => FormatValue();

    public bool Equals(Fingerprint? other) =>
        other is not null && string.Equals(HashFunction, other.HashFunction, StringComparison.OrdinalIgnoreCase)
        && _digest.AsSpan().SequenceEqual(other._digest);

    public override bool Equals(object? obj) => Equals(obj as Fingerprint);

    public override int GetHashCode() =>
        HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(HashFunction), SequenceEquality.Hash(_digest));

    private static string FormatHex(byte[] digest) => string.Create(digest.Length * 3 - 1, digest, static (text, bytes) =>
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
            {
                text[(i * 3) - 1] = ':';
            }

            text[i * 3] = "0123456789ABCDEF"[bytes[i] >> 4];
            text[(i * 3) + 1] = "0123456789ABCDEF"[bytes[i] & 0xF];
        }
    });

    /// <summary>Pairs of hex digits separated by single colons: <c>0B:51:59</c>.</summary>
    private static bool TryParseHex(string text, out byte[] digest)
    {
        digest = [];
        if (text.Length < 2 || text.Length % 3 != 2)
        {
            return false;
        }

        var bytes = new byte[(text.Length + 1) / 3];
        for (int i = 0; i < bytes.Length; i++)
        {
            int at = i * 3;
            if ((i > 0 && text[at - 1] != ':') || !char.IsAsciiHexDigit(text[at]) || !char.IsAsciiHexDigit(text[at + 1]))
            {
                return false;
            }

            bytes[i] = (byte)((HexValue(text[at]) << 4) | HexValue(text[at + 1]));
        }

        digest = bytes;
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static int? DigestLength(string hashFunction) => hashFunction.ToLowerInvariant() switch
    {
        "md2" or "md5" => 16,
        Sha1 => 20,
        "sha-224" => 28,
        Sha256 => 32,
        Sha384 => 48,
        Sha512 => 64,
        _ => null,
    };

    private static byte[]? Hash(string hashFunction, ReadOnlySpan<byte> data) => hashFunction.ToLowerInvariant() switch
    {
        Sha1 => SHA1.HashData(data),
        Sha256 => SHA256.HashData(data),
        Sha384 => SHA384.HashData(data),
        Sha512 => SHA512.HashData(data),
        _ => null,
    };
}
