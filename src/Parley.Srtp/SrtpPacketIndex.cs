namespace Parley.Srtp;

/// <summary>
/// The 48-bit SRTP packet index <c>i = 2^16 * ROC + SEQ</c> (RFC 3711 §3.3.1), estimated from a 16-bit sequence
/// number and the highest index seen so far (whose top 32 bits are the rollover counter ROC and low 16 bits s_l),
/// as in RFC 3711 Appendix A:
/// <code>
/// if (s_l &lt; 2^15)
///     if (SEQ - s_l > 2^15)  v = ROC - 1  else  v = ROC
/// else
///     if (s_l - 2^15 > SEQ)  v = ROC + 1  else  v = ROC
/// </code>
/// </summary>
internal static class SrtpPacketIndex
{
    public const ulong Max = (1UL << 48) - 1;

    /// <summary>False when the guess falls before the first rollover or past the last (ROC outside 32 bits).</summary>
    public static bool TryEstimate(ulong highest, ushort sequenceNumber, out ulong index)
    {
        long roc = (long)(highest >> 16);
        int highestSequence = (int)(highest & 0xFFFF);
        long guess = highestSequence < 0x8000
            ? (sequenceNumber - highestSequence > 0x8000 ? roc - 1 : roc)
            : (highestSequence - 0x8000 > sequenceNumber ? roc + 1 : roc);
        if (guess is < 0 or > uint.MaxValue)
        {
            index = 0;
            return false;
        }

        index = ((ulong)guess << 16) | sequenceNumber;
        return true;
    }
}
