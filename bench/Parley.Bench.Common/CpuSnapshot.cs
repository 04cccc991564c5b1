using System.Diagnostics;

namespace Parley.Bench.Common;

/// <summary>
/// CPU times read at one moment: each server's, this process's (the load generator) and the whole machine's. Two of
/// them, at the ends of a measurement, make a <see cref="CpuInterval"/>.
/// </summary>
public sealed record CpuSnapshot(long Timestamp, IReadOnlyList<TimeSpan> ServerCpu, TimeSpan OwnCpu, TimeSpan MachineBusy,
    TimeSpan MachineSoftIrq, TimeSpan MachineSteal)
{
    /// <summary>Reads them now; fails when a server has exited.</summary>
    public static CpuSnapshot Take(IReadOnlyList<ServerProcess> servers)
    {
        TimeSpan[] serverCpu = [.. servers.Select(s => s.CpuTime)];
        (TimeSpan busy, TimeSpan softIrq, TimeSpan steal) = ProcStats.ReadMachineCpu();
        return new CpuSnapshot(Stopwatch.GetTimestamp(), serverCpu, Environment.CpuUsage.TotalTime, busy, softIrq, steal);
    }
}
