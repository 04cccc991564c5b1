namespace Parley.Srtp;

/// <summary>The lengths each <see cref="SrtpProfile"/> fixes (RFC 3711 §8.2, RFC 5764 §4.1.2, RFC 7714 §12).</summary>
public static class SrtpProfileExtensions
{
    extension(SrtpProfile profile)
    {
        /// <summary>Whether Parley implements the profile (a value cast from a wire number may not be one).</summary>
        public bool IsSupported => profile is SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32
            or SrtpProfile.AeadAes128Gcm;

        /// <summary>Whether the profile is an AEAD one (RFC 7714), with its tag inside the cipher's output.</summary>
        public bool IsAead => profile == SrtpProfile.AeadAes128Gcm;

        /// <summary>Master key length in bytes: 16 for all three profiles.</summary>
        public int MasterKeyLength => Checked(profile, 16);

        /// <summary>Master salt length in bytes: 14 for AES-CM (RFC 3711 §8.2), 12 for AES-GCM (RFC 7714 §12).</summary>
        public int MasterSaltLength => Checked(profile, profile == SrtpProfile.AeadAes128Gcm ? 12 : 14);

        /// <summary>Bytes of authentication tag on an SRTP packet: 10, 4 or 16.</summary>
        public int RtpTagLength => profile switch
        {
            SrtpProfile.Aes128CmHmacSha1_80 => 10,
            SrtpProfile.Aes128CmHmacSha1_32 => 4,
            SrtpProfile.AeadAes128Gcm => 16,
            _ => throw Unsupported(profile),
        };

        /// <summary>Bytes of authentication tag on an SRTCP packet: 10 for both AES-CM profiles, 16 for AES-GCM.</summary>
        public int RtcpTagLength => Checked(profile, profile == SrtpProfile.AeadAes128Gcm ? 16 : 10);

        /// <summary>Bytes protecting an RTP packet adds: the tag (no MKI).</summary>
        public int RtpOverhead => profile.RtpTagLength;

        /// <summary>Bytes protecting an RTCP packet adds: the E flag and SRTCP index word, and the tag (no MKI).</summary>
        public int RtcpOverhead => SrtcpIndex.Length + profile.RtcpTagLength;
    }

    private static int Checked(SrtpProfile profile, int value) => profile.IsSupported ? value : throw Unsupported(profile);

    private static ArgumentOutOfRangeException Unsupported(SrtpProfile profile) =>
        new(nameof(profile), profile, "Not an SRTP protection profile Parley implements");
}
