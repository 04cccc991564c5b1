using System.Buffers.Binary;

namespace Parley.Srtp;

/// <summary>
/// What SRTCP needs from a compound RTCP packet (RFC 3550 §6.4, RFC 3711 §3.4): the first 8 bytes stay in the
/// clear, and the sender SSRC at bytes 4-7 selects the cryptographic state.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|   RC    |      PT       |            length             |
/// |                     SSRC of packet sender                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  encrypted from here on
/// </code>
/// </summary>
internal static class RtcpHeaderFields
{
    public const int Length = 8;

    public static bool TryReadSenderSsrc(ReadOnlySpan<byte> packet, out uint ssrc)
    {
        ssrc = 0;
        if (packet.Length < Length || packet[0] >> 6 != 2)
        {
            return false;
        }

        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        return true;
    }
}
