using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Srtp;

/// <summary>
/// AES_CM_128_HMAC_SHA1_80 and _32 (RFC 3711 §4.1.1, §4.2.1): AES-128 counter mode over the payload, then
/// HMAC-SHA1 truncated to the tag length over the authenticated portion.
/// <code>
/// SRTP:   | RTP header | encrypted payload | tag |                 tag = HMAC(k_a, header || payload || ROC)
/// SRTCP:  | header+SSRC | encrypted payload |E| SRTCP index | tag |  tag = HMAC(k_a, everything before it)
/// </code>
/// The tag is checked in constant time before anything is decrypted.
/// </summary>
internal sealed class AesCmHmacSha1Cipher : SrtpCipher
{
    private const int HmacLength = 20;

    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpHmac;
    private readonly IncrementalHash _rtcpHmac;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AesCmHmacSha1Cipher(SrtpProfile profile, SrtpSessionKeys rtp, SrtpSessionKeys rtcp) : base(profile)
    {
        _rtpCipher = new AesCounterMode(rtp.EncryptionKey);
        _rtcpCipher = new AesCounterMode(rtcp.EncryptionKey);
        _rtpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtp.AuthenticationKey);
        _rtcpHmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtcp.AuthenticationKey);
        _rtpSalt = [.. rtp.Salt];
        _rtcpSalt = [.. rtcp.Salt];
    }

    public override void ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> iv = stackalloc byte[AesCounterMode.IvLength];
        AesCounterMode.WriteIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Apply(iv, packet[headerLength..length]);
        ComputeRtpTag(packet[..length], (uint)(index >> 16), packet.Slice(length, RtpTagLength));
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int length = packet.Length - RtpTagLength;
        Span<byte> expected = stackalloc byte[RtpTagLength];
        ComputeRtpTag(packet[..length], (uint)(index >> 16), expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, packet[length..]))
        {
            return false;
        }

        Span<byte> iv = stackalloc byte[AesCounterMode.IvLength];
        AesCounterMode.WriteIv(_rtpSalt, ssrc, index, iv);
        _rtpCipher.Apply(iv, packet[headerLength..length]);
        return true;
    }

    public override int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index, bool encrypt)
    {
        if (encrypt)
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.IvLength];
            AesCounterMode.WriteIv(_rtcpSalt, ssrc, index, iv);
            _rtcpCipher.Apply(iv, packet[RtcpHeaderFields.Length..length]);
        }

        BinaryPrimitives.WriteUInt32BigEndian(packet[length..], SrtcpIndex.ToWord(index, encrypt));
        int authenticated = length + SrtcpIndex.Length;
        ComputeRtcpTag(packet[..authenticated], packet.Slice(authenticated, RtcpTagLength));
        return authenticated + RtcpTagLength;
    }

    public override int GetRtcpIndexOffset(int length) => length - RtcpTagLength - SrtcpIndex.Length;

    public override bool UnprotectRtcp(Span<byte> packet, int plainLength, uint ssrc, uint index, bool encrypted)
    {
        int authenticated = plainLength + SrtcpIndex.Length;
        Span<byte> expected = stackalloc byte[RtcpTagLength];
        ComputeRtcpTag(packet[..authenticated], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, packet[authenticated..]))
        {
            return false;
        }

        if (encrypted)
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.IvLength];
            AesCounterMode.WriteIv(_rtcpSalt, ssrc, index, iv);
            _rtcpCipher.Apply(iv, packet[RtcpHeaderFields.Length..plainLength]);
        }

        return true;
    }

    public override void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpHmac.Dispose();
        _rtcpHmac.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }

    /// <summary>RFC 3711 §4.2: the authenticated portion followed by the 32-bit ROC.</summary>
    private void ComputeRtpTag(ReadOnlySpan<byte> authenticated, uint rolloverCounter, Span<byte> tag)
    {
        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
        _rtpHmac.AppendData(authenticated);
        _rtpHmac.AppendData(roc);
        Truncate(_rtpHmac, tag);
    }

    private void ComputeRtcpTag(ReadOnlySpan<byte> authenticated, Span<byte> tag)
    {
        _rtcpHmac.AppendData(authenticated);
        Truncate(_rtcpHmac, tag);
    }

    private static void Truncate(IncrementalHash hmac, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HmacLength];
        hmac.GetHashAndReset(mac);
        mac[..tag.Length].CopyTo(tag);
    }
}
