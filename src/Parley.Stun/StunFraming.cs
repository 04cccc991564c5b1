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
}
