using System.Buffers.Binary;

namespace Parley.Stun;

/// <summary>Message boundaries on a stream transport (RFC 8489 §6.2.2: over TCP and TLS, messages follow each other
/// and the header's length field gives each one's size).</summary>
public static class StunFraming
{
    /// <summary>
    /// From the first 20 bytes of a stream, the length of the STUN message that starts there. False when the
    /// bytes cannot start a STUN message (the caller should close the connection); needs a whole header.
    /// </summary>
    public static bool TryGetMessageLength(ReadOnlySpan<byte> header, out int messageLength)
    {
        if (!StunMessage.LooksLikeStun(header))
        {
            messageLength = 0;
            return false;
        }

        messageLength = StunMessage.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        return true;
    }

    /// <summary>The bytes <see cref="TryGetTurnFrameLength"/> needs: a ChannelData header, or the first word of a
    /// STUN header.</summary>
    public const int TurnFramePrefixLength = 4;

    /// <summary>
    /// On a TURN client connection over TCP or TLS, where STUN messages and ChannelData messages follow each other
    /// (RFC 8656 §12.5), the length of the frame that starts here, from its first 4 bytes: 20 + the length field for
    /// STUN (first byte 0-3), 4 + the length field rounded up to a multiple of 4 for ChannelData (first byte 64-79,
    /// RFC 7983 §7; the padding is mandatory on streams). False when the bytes can start neither, or a STUN length
    /// is not a multiple of 4 (the caller should close the connection), and when fewer than 4 bytes are given.
    /// A STUN frame's cookie and the rest of its header are left to <see cref="StunMessage.TryParse"/>, a ChannelData
    /// frame's channel range to <see cref="ChannelData.TryRead"/>.
    /// </summary>
    public static bool TryGetTurnFrameLength(ReadOnlySpan<byte> prefix, out int frameLength)
    {
        frameLength = 0;
        if (prefix.Length < TurnFramePrefixLength)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(prefix[2..]);
        if (prefix[0] <= 3)
        {
            if ((length & 0x03) != 0)
            {
                return false;
            }

            frameLength = StunMessage.HeaderLength + length;
            return true;
        }

        if (ChannelData.IsChannelDataFirstByte(prefix[0]))
        {
            frameLength = ChannelData.GetFramedLength(length, padded: true);
            return true;
        }

        return false;
    }
}
