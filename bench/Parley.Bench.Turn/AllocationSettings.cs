namespace Parley.Bench.Turn;

/// <summary>
/// How the allocation phase drives a server; the same for every server: how many allocations each round makes and
/// holds, how many transactions may be in flight, on how many threads.
/// </summary>
internal sealed record AllocationSettings(int Count, int InFlight, int Threads)
{
    /// <summary>The phase runs unless --allocations 0.</summary>
    public bool Enabled => Count > 0;

    /// <summary>Threads actually used: never more than there are transactions in flight.</summary>
    public int EffectiveThreads => Math.Clamp(Threads, 1, Math.Max(1, Math.Min(InFlight, Count)));

    /// <summary>
    /// Relay ports a server needs for the phase: twice the allocations held at once, so that neither server's search
    /// for a free port (Parley's from a random start, coturn's through its shuffled list) runs short.
    /// </summary>
    public int RelayPortsNeeded => 2 * Count;
}
