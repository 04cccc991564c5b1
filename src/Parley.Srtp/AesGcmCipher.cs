using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Srtp;

/// <summary>
/// AEAD_AES_128_GCM (RFC 7714): AES-128-GCM with a 16-byte tag, the clear parts as associated data.
/// <code>
/// SRTP  (§8):  | RTP header (AAD) | ciphertext | tag |
///              IV = (00 00 || SSRC || ROC || SEQ) XOR salt
/// SRTCP (§9):  | header+SSRC | ciphertext | tag |E| SRTCP index |
///              IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt
///              AAD = header+SSRC || E+index word            (E = 1)
///              AAD = whole RTCP packet || E+index word, no plaintext, so the tag alone follows it (E = 0)
/// </code>
/// Unlike AES-CM, the tag comes before the E flag and index word of SRTCP (§9.2, and the §17 test vectors).
/// </summary>
/// <remarks>
/// .NET reports a tag mismatch only by throwing <see cref="AuthenticationTagMismatchException"/>, so a forged packet
/// costs an exception here (some microseconds); it also clears the payload it was decrypting in place.
/// </remarks>
internal sealed class AesGcmCipher : SrtpCipher
{
    public const int TagLength = 16;
    private const int NonceLength = 12;
    private const int RtcpAadLength = RtcpHeaderFields.Length + SrtcpIndex.Length;

    private readonly AesGcm _rtp;
    private readonly AesGcm _rtcp;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AesGcmCipher(SrtpSessionKeys rtp, SrtpSessionKeys rtcp) : base(SrtpProfile.AeadAes128Gcm)
    {
        _rtp = new AesGcm(rtp.EncryptionKey, TagLength);
        _rtcp = new AesGcm(rtcp.EncryptionKey, TagLength);
        _rtpSalt = [.. rtp.Salt];
        _rtcpSalt = [.. rtcp.Salt];
    }

    public override void ProtectRtp(Span<byte> packet, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtpNonce(_rtpSalt, ssrc, index, nonce);
        Span<byte> payload = packet[headerLength..length];
        _rtp.Encrypt(nonce, payload, payload, packet.Slice(length, TagLength), packet[..headerLength]);
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        int length = packet.Length - TagLength;
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtpNonce(_rtpSalt, ssrc, index, nonce);
        Span<byte> payload = packet[headerLength..length];
        return TryDecrypt(_rtp, nonce, payload, packet[length..], packet[..headerLength]);
    }

    public override int ProtectRtcp(Span<byte> packet, int length, uint ssrc, uint index, bool encrypt)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtcpNonce(_rtcpSalt, ssrc, index, nonce);
        uint word = SrtcpIndex.ToWord(index, encrypt);
        if (encrypt)
        {
            Span<byte> aad = stackalloc byte[RtcpAadLength];
            packet[..RtcpHeaderFields.Length].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpHeaderFields.Length..], word);
            Span<byte> payload = packet[RtcpHeaderFields.Length..length];
            _rtcp.Encrypt(nonce, payload, payload, packet.Slice(length, TagLength), aad);
        }
        else
        {
            // The associated data is the packet followed by the index word: put the word there for the call,
            // then the tag over it and the word after the tag.
            Span<byte> tag = stackalloc byte[TagLength];
            BinaryPrimitives.WriteUInt32BigEndian(packet[length..], word);
            _rtcp.Encrypt(nonce, [], [], tag, packet[..(length + SrtcpIndex.Length)]);
            tag.CopyTo(packet[length..]);
        }

        BinaryPrimitives.WriteUInt32BigEndian(packet[(length + TagLength)..], word);
        return length + TagLength + SrtcpIndex.Length;
    }

    public override int GetRtcpIndexOffset(int length) => length - SrtcpIndex.Length;

    public override bool UnprotectRtcp(Span<byte> packet, int plainLength, uint ssrc, uint index, bool encrypted)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtcpNonce(_rtcpSalt, ssrc, index, nonce);
        Span<byte> tag = packet.Slice(plainLength, TagLength);
        uint word = SrtcpIndex.ToWord(index, encrypted);
        if (encrypted)
        {
            Span<byte> aad = stackalloc byte[RtcpAadLength];
            packet[..RtcpHeaderFields.Length].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpHeaderFields.Length..], word);
            Span<byte> payload = packet[RtcpHeaderFields.Length..plainLength];
            return TryDecrypt(_rtcp, nonce, payload, tag, aad);
        }

        // As when protecting: move the tag aside and the word next to the packet to make the associated data.
        Span<byte> savedTag = stackalloc byte[TagLength];
        tag.CopyTo(savedTag);
        BinaryPrimitives.WriteUInt32BigEndian(tag, word);
        bool authentic = TryDecrypt(_rtcp, nonce, [], savedTag, packet[..(plainLength + SrtcpIndex.Length)]);
        savedTag.CopyTo(tag);
        return authentic;
    }

    public override void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }

    /// <summary>RFC 7714 §8.1: <c>(00 00 || SSRC || ROC || SEQ) XOR salt</c>, ROC || SEQ being the 48-bit index.</summary>
    internal static void WriteRtpNonce(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> nonce)
    {
        BinaryPrimitives.WriteUInt16BigEndian(nonce, 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[6..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)index);
        KeystreamXor.Apply(nonce, salt);
    }

    /// <summary>RFC 7714 §9.1: <c>(00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt</c>.</summary>
    internal static void WriteRtcpNonce(ReadOnlySpan<byte> salt, uint ssrc, uint index, Span<byte> nonce)
    {
        BinaryPrimitives.WriteUInt16BigEndian(nonce, 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[6..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index & SrtcpIndex.Max);
        KeystreamXor.Apply(nonce, salt);
    }

    private static bool TryDecrypt(AesGcm gcm, ReadOnlySpan<byte> nonce, Span<byte> data, ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> associatedData)
    {
        try
        {
            gcm.Decrypt(nonce, data, tag, data, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }
}
