using System.Diagnostics;

namespace Parley.Bench.Common;

/// <summary>
/// What the CPUs did between two <see cref="CpuSnapshot"/>s, while one server was measured and the others idled:
/// each server's CPU time, this process's, and what else the machine did.
/// </summary>
public sealed class CpuInterval(CpuSnapshot first, CpuSnapshot last)
{
    public TimeSpan Elapsed { get; } = Stopwatch.GetElapsedTime(first.Timestamp, last.Timestamp);

    /// <summary>This process's CPU time: the load generator's.</summary>
    public TimeSpan OwnCpu => last.OwnCpu - first.OwnCpu;

    /// <summary>The CPU time of the server at <paramref name="index"/> in the snapshots.</summary>
    public TimeSpan ServerCpu(int index) => last.ServerCpu[index] - first.ServerCpu[index];

    /// <summary>
    /// The CPU that neither the servers nor this process account for (someone else's build, say), which makes the
    /// figures unreliable, with softirq and steal, in cores. Softirq time (the benchmark's own packets, mostly) is
    /// also charged to the process it interrupted, so it is not taken off again.
    /// </summary>
    public MachineLoad ToMachineLoad(string run)
    {
        TimeSpan servers = TimeSpan.Zero;
        for (int i = 0; i < last.ServerCpu.Count; i++)
        {
            servers += ServerCpu(i);
        }

        TimeSpan other = last.MachineBusy - first.MachineBusy - OwnCpu - servers;
        return new MachineLoad(run, Math.Max(0, other / Elapsed), (last.MachineSoftIrq - first.MachineSoftIrq) / Elapsed,
            (last.MachineSteal - first.MachineSteal) / Elapsed);
    }
}
