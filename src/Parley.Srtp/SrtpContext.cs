using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Srtp;

/// <summary>
/// The SRTP and SRTCP cryptographic context of one direction under one master key (RFC 3711 §3.2): one for what
/// a peer sends us, one for what we send it. It holds the session keys derived from the master key and salt
/// (§4.3, key derivation rate 0) and, per SSRC, the highest packet index, whose top 32 bits are the rollover
/// counter (§3.3.1), a 64-packet replay window for what is received (§3.3.2), and the next SRTCP index for what
/// is sent (§3.4).
/// </summary>
/// <remarks>
/// Packets are transformed in place and nothing is allocated per packet once an SSRC has been seen. Not thread
/// safe: a context belongs to the one loop that sends, or receives, on its transport. MKIs are not supported
/// (DTLS-SRTP does not use them). A sender does not refuse to protect an index twice: forwarding the same packet
/// again gives the same bytes.
/// </remarks>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Receive state kept for at most this many SSRCs of each of SRTP and SRTCP; more are refused.</summary>
    public const int MaxReceivedSsrcs = 1024;

    private readonly SrtpCipher _cipher;
    private readonly Dictionary<uint, ReplayWindow> _rtpReceived = [];
    private readonly Dictionary<uint, ReplayWindow> _rtpSent = [];
    private readonly Dictionary<uint, ReplayWindow> _rtcpReceived = [];
    private readonly Dictionary<uint, uint> _rtcpNextIndex = [];

    /// <summary>A context for <paramref name="profile"/> from a DTLS-SRTP (RFC 5764 §4.2) or SDES master key and salt.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The profile is not one Parley implements.</exception>
    /// <exception cref="ArgumentException">The key or salt is not of the profile's length.</exception>
    public SrtpContext(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(CreateCipher(profile, masterKey, masterSalt))
    {
    }

    internal SrtpContext(SrtpCipher cipher) => _cipher = cipher;

    public SrtpProfile Profile => _cipher.Profile;

    /// <summary>Whether <see cref="TryProtectRtcp"/> encrypts (E flag set, the default) or only authenticates.</summary>
    public bool EncryptRtcp { get; init; } = true;

    /// <summary>Bytes <see cref="TryProtectRtp"/> appends: the buffer must have this much room after the packet.</summary>
    public int RtpOverhead => _cipher.RtpTagLength;

    /// <summary>Bytes <see cref="TryProtectRtcp"/> appends: the buffer must have this much room after the packet.</summary>
    public int RtcpOverhead => SrtcpIndex.Length + _cipher.RtcpTagLength;

    /// <summary>
    /// Turns the RTP packet in <c>buffer[..length]</c> into SRTP in place: encrypts what follows the header (its
    /// CSRCs and extension included in the header) and appends the tag (RFC 3711 §3.3, RFC 7714 §8).
    /// </summary>
    /// <returns>False, with the buffer untouched, for a packet that is not RTP version 2 or a buffer without
    /// <see cref="RtpOverhead"/> bytes of room after it.</returns>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || buffer.Length - length < _cipher.RtpTagLength
            || !RtpHeaderFields.TryRead(buffer[..length], out RtpHeaderFields header))
        {
            return false;
        }

        ref ReplayWindow sent = ref CollectionsMarshal.GetValueRefOrAddDefault(_rtpSent, header.Ssrc, out _);
        ulong index = header.SequenceNumber;
        if (sent.IsStarted && !SrtpPacketIndex.TryEstimate(sent.Highest, header.SequenceNumber, out index))
        {
            return false;
        }

        _cipher.ProtectRtp(buffer, header.Length, length, header.Ssrc, index);
        sent.Accept(index);
        protectedLength = length + _cipher.RtpTagLength;
        return true;
    }

    /// <summary>
    /// Turns the SRTP packet that fills <paramref name="packet"/> back into RTP in place: estimates its index,
    /// refuses a replay, checks the tag and only then decrypts (RFC 3711 §3.3).
    /// </summary>
    /// <returns>False for a packet that is too short or not RTP version 2, whose tag does not verify, that was
    /// already received, or that is older than the replay window. The packet's bytes are then unspecified.</returns>
    public bool TryUnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        int tagLength = _cipher.RtpTagLength;
        if (packet.Length < RtpHeaderFields.FixedLength + tagLength
            || !RtpHeaderFields.TryRead(packet[..^tagLength], out RtpHeaderFields header))
        {
            return false;
        }

        ref ReplayWindow received = ref CollectionsMarshal.GetValueRefOrNullRef(_rtpReceived, header.Ssrc);
        bool known = !Unsafe.IsNullRef(ref received);
        ulong index = header.SequenceNumber;
        if (known)
        {
            if (!SrtpPacketIndex.TryEstimate(received.Highest, header.SequenceNumber, out index) || !received.IsFresh(index))
            {
                return false;
            }
        }
        else if (_rtpReceived.Count >= MaxReceivedSsrcs)
        {
            return false;
        }

        if (!_cipher.UnprotectRtp(packet, header.Length, header.Ssrc, index))
        {
            return false;
        }

        // State changes only for authentic packets (RFC 3711 §3.3.1, §3.3.2).
        if (known)
        {
            received.Accept(index);
        }
        else
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_rtpReceived, header.Ssrc, out _).Accept(index);
        }

        plainLength = packet.Length - tagLength;
        return true;
    }

    /// <summary>
    /// Turns the compound RTCP packet in <c>buffer[..length]</c> into SRTCP in place: encrypts what follows the
    /// sender SSRC (unless <see cref="EncryptRtcp"/> is off) and appends the E flag with the sender's next SRTCP
    /// index and the tag, in the profile's order (RFC 3711 §3.4, RFC 7714 §9).
    /// </summary>
    /// <returns>False, with the buffer untouched, for a packet that is not RTCP version 2, a buffer without
    /// <see cref="RtcpOverhead"/> bytes of room after it, or an SSRC whose 2^31 indices are spent.</returns>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || buffer.Length - length < RtcpOverhead
            || !RtcpHeaderFields.TryReadSenderSsrc(buffer[..length], out uint ssrc))
        {
            return false;
        }

        ref uint next = ref CollectionsMarshal.GetValueRefOrAddDefault(_rtcpNextIndex, ssrc, out _);
        if (next > SrtcpIndex.Max)
        {
            return false;
        }

        protectedLength = _cipher.ProtectRtcp(buffer, length, ssrc, next, EncryptRtcp);
        next++;
        return true;
    }

    /// <summary>
    /// Turns the SRTCP packet that fills <paramref name="packet"/> back into RTCP in place: reads the E flag and
    /// index, refuses a replay, checks the tag and only then decrypts, if the E flag says it is encrypted.
    /// </summary>
    /// <returns>False for a packet that is too short or not RTCP version 2, whose tag does not verify, that was
    /// already received, or that is older than the replay window. The packet's bytes are then unspecified.</returns>
    public bool TryUnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        int plain = packet.Length - RtcpOverhead;
        if (plain < RtcpHeaderFields.Length || !RtcpHeaderFields.TryReadSenderSsrc(packet[..plain], out uint ssrc))
        {
            return false;
        }

        uint word = BinaryPrimitives.ReadUInt32BigEndian(packet[_cipher.GetRtcpIndexOffset(packet.Length)..]);
        bool encrypted = (word & SrtcpIndex.EncryptedFlag) != 0;
        uint index = word & SrtcpIndex.Max;
        ref ReplayWindow received = ref CollectionsMarshal.GetValueRefOrNullRef(_rtcpReceived, ssrc);
        bool known = !Unsafe.IsNullRef(ref received);
        if (known ? !received.IsFresh(index) : _rtcpReceived.Count >= MaxReceivedSsrcs)
        {
            return false;
        }

        if (!_cipher.UnprotectRtcp(packet, plain, ssrc, index, encrypted))
        {
            return false;
        }

        if (known)
        {
            received.Accept(index);
        }
        else
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_rtcpReceived, ssrc, out _).Accept(index);
        }

        plainLength = plain;
        return true;
    }

    public void Dispose() => _cipher.Dispose();

    /// <summary>Sets the SRTCP index the next packet from <paramref name="ssrc"/> gets (for test vectors).</summary>
    internal void SetNextRtcpIndex(uint ssrc, uint index) => _rtcpNextIndex[ssrc] = index;

    private static SrtpCipher CreateCipher(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        SrtpSessionKeys rtp = SrtpSessionKeys.Derive(profile, masterKey, masterSalt, rtcp: false);
        SrtpSessionKeys rtcp = SrtpSessionKeys.Derive(profile, masterKey, masterSalt, rtcp: true);
        try
        {
            return SrtpCipher.Create(profile, rtp, rtcp);
        }
        finally
        {
            rtp.Clear();
            rtcp.Clear();
        }
    }
}
