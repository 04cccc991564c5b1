using System.Buffers.Binary;

namespace Parley.Srtp;

/// <summary>
/// What SRTP needs from an RTP header (RFC 3550 §5.1, §5.3.1): its length, so that the payload after the CSRC
/// list and header extension can be encrypted (RFC 3711 §3.1), and the sequence number and SSRC of the index.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |                             SSRC                              |
/// |              CSRC list: CC 32-bit words                       |
/// |   defined by profile          |  length (32-bit words)        |  if X
/// |                  header extension: length words               |
/// </code>
/// </summary>
internal readonly record struct RtpHeaderFields(int Length, ushort SequenceNumber, uint Ssrc)
{
    public const int FixedLength = 12;

    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeaderFields header)
    {
        header = default;
        if (packet.Length < FixedLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        int length = FixedLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        if (length > packet.Length)
        {
            return false;
        }

        header = new RtpHeaderFields(length, BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
        return true;
    }
}
