namespace Parley.Srtp;

/// <summary>
/// One profile's transforms of a packet whose index is already known: encryption and tag for SRTP
/// (RFC 3711 §3.1, RFC 7714 §8) and SRTCP (RFC 3711 §3.4, RFC 7714 §9). The per-SSRC state (rollover counter,
/// SRTCP index, replay windows) lives in <see cref="SrtpContext"/>.
/// </summary>
internal abstract class SrtpCipher : IDisposable
{
    protected SrtpCipher(SrtpProfile profile) => Profile = profile;

    public SrtpProfile Profile { get; }

    public int RtpTagLength => Profile.RtpTagLength;

    public int RtcpTagLength => Profile.RtcpTagLength;

    /// <summary>
    /// Encrypts <c>packet[headerLength..length]</c> in place and writes the tag at <c>packet[length..]</c>
    /// (the caller has checked the room).
    /// </summary>
    public abstract void ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index);

    /// <summary>
    /// Checks the tag at the end of <paramref name="packet"/> and, only if it holds, decrypts the payload between
    /// the header and the tag in place.
    /// </summary>
    public abstract bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>
    /// Encrypts <c>packet[8..length]</c> in place when <paramref name="encrypt"/> is set, appends the E flag and
    /// index word and the tag in the profile's order, and returns the protected length.
    /// </summary>
    public abstract int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index, bool encrypt);

    /// <summary>Where the E flag and SRTCP index word sits in a protected packet of <paramref name="length"/> bytes.</summary>
    public abstract int GetRtcpIndexOffset(int length);

    /// <summary>
    /// Checks the tag of <paramref name="packet"/> (the whole SRTCP packet) and, only if it holds and the packet is
    /// encrypted, decrypts <c>packet[8..plainLength]</c> in place.
    /// </summary>
    public abstract bool UnprotectRtcp(Span<byte> packet, int plainLength, uint ssrc, uint index, bool encrypted);

    public abstract void Dispose();

    /// <summary>The cipher for <paramref name="profile"/> over already derived session keys.</summary>
    public static SrtpCipher Create(SrtpProfile profile, SrtpSessionKeys rtp, SrtpSessionKeys rtcp) =>
        profile.IsAead ? new AesGcmCipher(rtp, rtcp) : new AesCmHmacSha1Cipher(profile, rtp, rtcp);
}
