namespace Parley.Rtp;

/// <summary>
/// Arithmetic on 16-bit RTP sequence numbers, which wrap (RFC 3550 §A.1, RFC 1982 serial numbers): a value is newer
/// than another when it is less than half the space ahead. Exactly half way is broken towards the larger value,
/// so that of two distinct values exactly one is newer.
/// </summary>
public static class SequenceNumbers
{
    private const ushort Half = 0x8000;

    public static bool IsNewer(ushort value, ushort previous)
    {
        ushort ahead = (ushort)(value - previous);
        return ahead == Half ? value > previous : ahead != 0 && ahead < Half;
    }

    public static bool IsNewerOrEqual(ushort value, ushort previous) => value == previous || IsNewer(value, previous);

    /// <summary>How far <paramref name="value"/> is ahead of <paramref name="previous"/>: negative when behind.</summary>
    public static int Difference(ushort value, ushort previous) =>
        IsNewer(value, previous) ? (ushort)(value - previous) : -(ushort)(previous - value);

    /// <summary>The newer of two sequence numbers.</summary>
    public static ushort Latest(ushort a, ushort b) => IsNewer(b, a) ? b : a;
}
