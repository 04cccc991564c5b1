using System.Globalization;
using System.Text.Json;

namespace Parley.Bench.Common;

/// <summary>
/// What else the machine did during one measurement, in cores: CPU that neither the servers nor the load generator
/// account for (someone's build, say), softirq (the benchmark's own packets, mostly; already counted in the
/// processes' time), and steal (the hypervisor's other guests). See <see cref="CpuInterval.ToMachineLoad"/>.
/// </summary>
public sealed record MachineLoad(string Run, double OtherCores, double SoftIrqCores, double StealCores)
{
    /// <summary>Other load above this, in cores, is reported as making the figures unreliable.</summary>
    public const double NoiseThresholdCores = 0.1;

    /// <summary>
    /// The report's line on the noisiest measurement, "other load on the machine: up to …", a warning above
    /// <see cref="NoiseThresholdCores"/>; null when nothing was measured.
    /// </summary>
    public static string? Summarize(IReadOnlyList<MachineLoad> loads)
    {
        MachineLoad? noisiest = loads.MaxBy(m => m.OtherCores + m.StealCores);
        if (noisiest is null)
        {
            return null;
        }

        double other = noisiest.OtherCores + noisiest.StealCores;
        bool noisy = other > NoiseThresholdCores;
        return string.Create(CultureInfo.InvariantCulture,
            $"{(noisy ? "WARNING: " : "")}other load on the machine: up to {other:0.00} cores ({noisiest.OtherCores:0.00} other processes, {noisiest.StealCores:0.00} steal) during {noisiest.Run}{(noisy ? "; the figures are not reliable, run again on a quiet machine" : "")}");
    }

    /// <summary>Writes them as the results' "machineLoad" array.</summary>
    public static void WriteJson(Utf8JsonWriter json, IReadOnlyList<MachineLoad> loads) =>
        JsonResults.WriteArray(json, "machineLoad", loads, (json, load) =>
        {
            json.WriteString("run", load.Run);
            JsonResults.WriteNumber(json, "otherCores", load.OtherCores);
            JsonResults.WriteNumber(json, "softIrqCores", load.SoftIrqCores);
            JsonResults.WriteNumber(json, "stealCores", load.StealCores);
        });
}
