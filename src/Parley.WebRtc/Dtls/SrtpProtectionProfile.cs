namespace Parley.WebRtc.Dtls;

/// <summary>The SRTP protection profiles of the DTLS <c>use_srtp</c> extension (RFC 5764 §4.1.2, RFC 7714 §14.2),
/// with their IANA values, in Parley's order of preference.</summary>
public enum SrtpProtectionProfile : ushort
{
    AeadAes128Gcm = 0x0007,
    Aes128CmHmacSha1_80 = 0x0001,
}

public static class SrtpProtectionProfiles
{
    /// <summary>Offered and accepted, best first: AES-GCM (RFC 7714) then AES-CM with HMAC-SHA1-80 (RFC 3711).</summary>
    public static readonly SrtpProtectionProfile[] Preferred = [SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.Aes128CmHmacSha1_80];

    /// <summary>Master key length in bytes.</summary>
    public static int KeyLength(this SrtpProtectionProfile profile) => 16;

    /// <summary>Master salt length in bytes: 14 for AES-CM (RFC 3711), 12 for AES-GCM (RFC 7714 §12).</summary>
    public static int SaltLength(this SrtpProtectionProfile profile) => profile == SrtpProtectionProfile.AeadAes128Gcm ? 12 : 14;
}
