namespace Parley.Rtp;

/// <summary>
/// Arithmetic on 32-bit RTP timestamps, which wrap: the same rule as <see cref="SequenceNumbers"/> over 2^32.
/// </summary>
public static class RtpTimestamps
{
    private const uint Half = 0x8000_0000;

    public static bool IsNewer(uint value, uint previous)
    {
        uint ahead = value - previous;
        return ahead == Half ? value > previous : ahead != 0 && ahead < Half;
    }

    public static bool IsNewerOrEqual(uint value, uint previous) => value == previous || IsNewer(value, previous);

    /// <summary>How far <paramref name="value"/> is ahead of <paramref name="previous"/>: negative when behind.</summary>
    public static long Difference(uint value, uint previous) =>
        IsNewer(value, previous) ? value - previous : -(long)(previous - value);
}
