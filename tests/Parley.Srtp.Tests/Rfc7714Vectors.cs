namespace Parley.Srtp.Tests;

/// <summary>
/// The AEAD_AES_128_GCM test vectors of RFC 7714 §16.1 (SRTP) and §17.1, §17.3 (SRTCP with and without
/// encryption). They start from session keys: the KDF is not part of them.
/// </summary>
internal static class Rfc7714Vectors
{
    public static readonly byte[] SessionKey = Hex.Parse("00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f");

    public static readonly byte[] SessionSalt = Hex.Parse("51 75 69 64 20 70 72 6f 20 71 75 6f"); // "Quid pro quo"

    /// <summary>§16.1: IV = (00 00 || SSRC 5501a0b2 || ROC 0 || SEQ f17b) XOR salt.</summary>
    public static readonly byte[] RtpIv = Hex.Parse("51 75 3c 65 80 c2 72 6f 20 71 84 14");

    public static readonly byte[] RtpPacket = Hex.Parse("""
        8040f17b 8041f8d3 5501a0b2  # V=2, PT 64, SEQ f17b, timestamp 8041f8d3, SSRC 5501a0b2
        47616c6c 69612065 7374206f  # "Gallia est omnis divisa in partes tres"
        6d6e6973 20646976 69736120
        696e2070 61727465 73207472
        6573
        """);

    public static readonly byte[] ProtectedRtpPacket = Hex.Parse("""
        8040f17b 8041f8d3 5501a0b2  # the header, in the clear and authenticated
        f24de3a3 fb34de6c acba861c  # 38 bytes of ciphertext
        9d7e4bca be633bd5 0d294e6f
        42a5f47a 51c7d19b 36de3adf
        8833
            899d 7f27beb1 6a9152cf  # 16-byte tag
        765ee439 0cce
        """);

    public const uint RtcpSsrc = 0x4d617273;
    public const uint RtcpIndex = 0x5d4;

    /// <summary>§17: IV = (00 00 || SSRC 4d617273 || 00 00 || 0 || index 000005d4) XOR salt.</summary>
    public static readonly byte[] RtcpIv = Hex.Parse("51 75 24 05 52 03 72 6f 20 71 70 bb");

    public static readonly byte[] RtcpPacket = Hex.Parse("""
        81c8000d 4d617273           # SR, length 13 words, sender SSRC "Mars"
        4e545031 4e545032 52545020  # sender info and a report block
        0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef
        deadbeef deadbeef
        """);

    /// <summary>§17.1: the tag precedes the E flag and SRTCP index.</summary>
    public static readonly byte[] ProtectedRtcpPacket = Hex.Parse("""
        81c8000d 4d617273           # header and sender SSRC, in the clear
        63e94885 dcdab67c a727d766  # 44 bytes of ciphertext
        2f6b7e99 7ff5c0f7 6c06f32d
        c676a5f1 730d6fda 4ce09b46
        86303ded 0bb9275b
        c84aa458 96cf4d2f c5abf872  # 16-byte tag
        45d9eade
        800005d4                    # E = 1, SRTCP index 0x5d4
        """);

    /// <summary>§17.3: authenticated only, the whole packet being associated data.</summary>
    public static readonly byte[] AuthenticatedRtcpPacket = Hex.Parse("""
        81c8000d 4d617273 4e545031 4e545032  # the packet, in the clear
        52545020 0000042a 0000e930 4c756e61
        deadbeef deadbeef deadbeef deadbeef
        deadbeef
        841dd968 3dd78ec9 2ae58790 125f62b3  # 16-byte tag
        000005d4                             # E = 0, SRTCP index 0x5d4
        """);

    /// <summary>A context for the vectors' session keys, which are the same for SRTP and SRTCP.</summary>
    public static SrtpContext Context(bool encryptRtcp = true) =>
        new(SrtpCipher.Create(SrtpProfile.AeadAes128Gcm, new SrtpSessionKeys(SessionKey, [], SessionSalt),
            new SrtpSessionKeys(SessionKey, [], SessionSalt)))
        { EncryptRtcp = encryptRtcp };
}
