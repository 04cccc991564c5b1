namespace Parley.Srtp;

/// <summary>
/// The replay list of RFC 3711 §3.3.2 as a sliding window of 64 indices below the highest one authenticated:
/// an index above the highest is new, one inside the window is new unless its bit is set, and one below the
/// window is too old to tell and refused. The highest index also gives index estimation its ROC and s_l.
/// </summary>
internal struct ReplayWindow
{
    public const int Size = 64;

    /// <summary>Bit k is set once index <c>Highest - k</c> has been accepted.</summary>
    private ulong _seen;

    public bool IsStarted { get; private set; }

    public ulong Highest { get; private set; }

    public readonly bool IsFresh(ulong index)
    {
        if (!IsStarted || index > Highest)
        {
            return true;
        }

        ulong age = Highest - index;
        return age < Size && (_seen & (1UL << (int)age)) == 0;
    }

    /// <summary>Records an index that authenticated (and, when receiving, was fresh).</summary>
    public void Accept(ulong index)
    {
        if (!IsStarted)
        {
            IsStarted = true;
            Highest = index;
            _seen = 1;
        }
        else if (index > Highest)
        {
            ulong shift = index - Highest;
            _seen = shift >= Size ? 1 : (_seen << (int)shift) | 1;
            Highest = index;
        }
        else if (Highest - index < Size)
        {
            _seen |= 1UL << (int)(Highest - index);
        }
    }
}
