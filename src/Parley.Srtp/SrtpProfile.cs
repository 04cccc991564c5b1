namespace Parley.Srtp;

/// <summary>
/// The SRTP protection profiles Parley implements, numbered as in the DTLS-SRTP registry (RFC 5764 §4.1.2,
/// RFC 7714 §14.2) so that a profile negotiated by the <c>use_srtp</c> extension maps by value.
/// </summary>
public enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES-128 counter mode, HMAC-SHA1 tags of 80 bits (RFC 3711 §4).</summary>
    Aes128CmHmacSha1_80 = 0x0001,

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_32: as above with 32-bit SRTP tags; SRTCP keeps 80 bits (RFC 5764 §4.1.2).</summary>
    Aes128CmHmacSha1_32 = 0x0002,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-128 in Galois/counter mode with 128-bit tags (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,
}
