using Parley.Stun;

namespace Parley.Turn;

/// <summary>
/// Caps the answers to requests without valid credentials per client address and second, so that the server cannot
/// be made to send many challenges (or to work on many bad MACs) for one address. A fixed table of counters, hashed
/// by address: collisions make the limit stricter, never looser; nothing grows.
/// </summary>
internal sealed class UnauthenticatedRateLimiter(int perSecond, TimeProvider time)
{
    private const int Slots = 4096;
    private readonly Slot[] _slots = new Slot[Slots];
    private readonly Lock _gate = new();

    /// <summary>Counts one answer for the address; false when it is over the limit this second.</summary>
    public bool TryAcquire(in TransportAddress source)
    {
        if (perSecond <= 0)
        {
            return true;
        }

        long second = time.GetUtcNow().ToUnixTimeSeconds();
        int index = (int)((uint)HashCode.Combine(source.Address, source.Family) % Slots);
        lock (_gate)
        {
            ref Slot slot = ref _slots[index];
            if (slot.Second != second)
            {
                slot.Second = second;
                slot.Count = 0;
            }

            return ++slot.Count <= perSecond;
        }
    }

    private struct Slot
    {
        public long Second;
        public int Count;
    }
}
