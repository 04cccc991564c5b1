using System.Globalization;

namespace Parley.Bench.Common;

/// <summary>
/// The CPU a server used while another one was being measured, and for how long that was: an idle server that is
/// not idle takes CPU from the one measured.
/// </summary>
public sealed class IdleCpu
{
    public TimeSpan Cpu { get; private set; }

    public TimeSpan Time { get; private set; }

    /// <summary>The average use in cores, or null when no other server was measured.</summary>
    public double? Cores => Time > TimeSpan.Zero ? Cpu / Time : null;

    /// <summary>The report's "; CPU while the other was measured 0.004 cores", or nothing.</summary>
    public string ReportClause => Cores is { } cores
        ? string.Create(CultureInfo.InvariantCulture, $"; CPU while the other was measured {cores:0.000} cores")
        : "";

    public void Add(TimeSpan cpu, TimeSpan time)
    {
        Cpu += cpu;
        Time += time;
    }
}
