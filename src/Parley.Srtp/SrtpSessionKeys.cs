using System.Security.Cryptography;

namespace Parley.Srtp;

/// <summary>
/// The session keys of one of SRTP or SRTCP (RFC 3711 §4.3): encryption key, authentication key (20 bytes for
/// HMAC-SHA1, none for AES-GCM) and session salt (14 bytes for AES-CM, 12 for AES-GCM, RFC 7714 §11).
/// </summary>
internal sealed class SrtpSessionKeys(byte[] encryptionKey, byte[] authenticationKey, byte[] salt)
{
    public const int EncryptionKeyLength = 16;
    public const int HmacSha1KeyLength = 20;
    public const int AesCmSaltLength = 14;
    public const int AesGcmSaltLength = 12;

    public byte[] EncryptionKey { get; } = encryptionKey;
    public byte[] AuthenticationKey { get; } = authenticationKey;
    public byte[] Salt { get; } = salt;

    /// <summary>Derives the SRTP (labels 0-2) or SRTCP (labels 3-5) keys of <paramref name="profile"/>.</summary>
    public static SrtpSessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt,
        bool rtcp)
    {
        if (!profile.IsSupported)
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Not an SRTP protection profile Parley implements");
        }

        if (masterKey.Length != profile.MasterKeyLength)
        {
            throw new ArgumentException($"{profile} takes a {profile.MasterKeyLength}-byte master key", nameof(masterKey));
        }

        if (masterSalt.Length != profile.MasterSaltLength)
        {
            throw new ArgumentException($"{profile} takes a {profile.MasterSaltLength}-byte master salt", nameof(masterSalt));
        }

        Span<byte> prfSalt = stackalloc byte[SrtpKeyDerivation.SaltLength];
        SrtpKeyDerivation.ExtendSalt(masterSalt, prfSalt);
        using Aes prf = Aes.Create();
        prf.SetKey(masterKey);

        bool aead = profile.IsAead;
        var encryptionKey = new byte[EncryptionKeyLength];
        var authenticationKey = new byte[aead ? 0 : HmacSha1KeyLength];
        var salt = new byte[aead ? AesGcmSaltLength : AesCmSaltLength];
        SrtpKeyDerivation.Derive(prf, prfSalt, rtcp ? SrtpKeyLabel.RtcpEncryption : SrtpKeyLabel.RtpEncryption, encryptionKey);
        if (!aead)
        {
            SrtpKeyDerivation.Derive(prf, prfSalt,
                rtcp ? SrtpKeyLabel.RtcpAuthentication : SrtpKeyLabel.RtpAuthentication, authenticationKey);
        }

        SrtpKeyDerivation.Derive(prf, prfSalt, rtcp ? SrtpKeyLabel.RtcpSalt : SrtpKeyLabel.RtpSalt, salt);
        CryptographicOperations.ZeroMemory(prfSalt);
        return new SrtpSessionKeys(encryptionKey, authenticationKey, salt);
    }

    /// <summary>Overwrites the keys once a cipher has taken them.</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(EncryptionKey);
        CryptographicOperations.ZeroMemory(AuthenticationKey);
        CryptographicOperations.ZeroMemory(Salt);
    }
}
