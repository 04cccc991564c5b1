using System.Globalization;
using System.Text;
using Parley.Bench.Common;
using static Parley.Bench.Common.ReportFormat;

namespace Parley.Bench.Turn;

/// <summary>The allocation phase in the report: its own small table, a line of details per server, its ratios.</summary>
internal static class AllocationTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Bytes in KiB with one decimal: "3.4 KiB"; "-" when missing.</summary>
    public static string KiB(double? bytes) => bytes is { } b && double.IsFinite(b)
        ? (b / 1024).ToString("0.0", Invariant) + " KiB"
        : "-";

    /// <summary>The table and the details, when any server has an allocation round.</summary>
    public static void Append(StringBuilder text, AllocationSettings settings, IReadOnlyList<ServerResult> servers)
    {
        if (!servers.Any(s => s.AllocationRounds.Count > 0))
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(Invariant,
            $"allocations: {settings.Count:N0} fresh clients per round (Allocate, 401, authenticated Allocate), {settings.InFlight} transactions in flight on {settings.EffectiveThreads} thread{(settings.EffectiveThreads == 1 ? "" : "s")}; all held while the RSS is read, then released (Refresh with LIFETIME 0)");
        var rows = new List<string[]>
        {
            new[] { "server", "allocations/s", "rounds", "failed", "memory/allocation", "RSS before", "RSS held", "CPU/allocation", "releases/s", "failed" },
        };
        foreach (ServerResult server in servers)
        {
            List<AllocationRound> rounds = server.AllocationRounds;
            AllocationRound? first = rounds.FirstOrDefault();
            rows.Add(
            [
                server.Name,
                rounds.Count == 0 ? (server.Failed ? "FAILED" : "-") : Count(server.MedianAllocationsPerSecond),
                string.Join(" ", rounds.Select(r => Count(r.AllocationsPerSecond))),
                rounds.Sum(r => r.Allocate.Failed).ToString(Invariant),
                KiB(server.MemoryPerAllocationBytes),
                Size(first?.ResidentBeforeBytes),
                Size(first?.ResidentHeldBytes),
                double.IsNaN(server.CpuMicrosecondsPerAllocation) ? "-" : $"{server.CpuMicrosecondsPerAllocation.ToString("0", Invariant)} us",
                rounds.Count == 0 ? "-" : Count(server.MedianReleasesPerSecond),
                rounds.Sum(r => r.Release.Failed).ToString(Invariant),
            ]);
        }

        TextTable.Append(text, rows);
        text.AppendLine();
        foreach (ServerResult server in servers.Where(s => s.AllocationRounds.Count > 0))
        {
            List<AllocationRound> rounds = server.AllocationRounds;
            int released = rounds.Sum(r => r.Release.Completed);
            double releaseCpu = released == 0 ? double.NaN : rounds.Sum(r => r.ReleaseServerCpu.TotalMicroseconds) / released;
            double generatorCpu = Statistics.Median(rounds.Select(r => r.LoadGeneratorMicrosecondsPerAllocation));
            text.AppendLine(Invariant,
                $"{server.Name}: allocations: memory per allocation by round {string.Join(" ", rounds.Select(r => KiB(r.MemoryPerAllocationBytes)))}, RSS after release {string.Join(" ", rounds.Select(r => Size(r.ResidentAfterReleaseBytes)))}; server CPU per allocation by round {string.Join(" ", rounds.Select(r => r.ServerCpuMicrosecondsPerAllocation.ToString("0", Invariant)))} us, per release {releaseCpu:0} us; releases/s by round {string.Join(" ", rounds.Select(r => Count(r.ReleasesPerSecond)))}; requests sent again after 250 ms {rounds.Sum(r => r.Allocate.Retransmits + r.Release.Retransmits):N0}; load generator {generatorCpu:0} us per allocation");
            if (server.FirstAllocationProblem is { } problem)
            {
                text.AppendLine(Invariant, $"{server.Name}: allocations: first failure: {problem}");
            }
        }
    }

    /// <summary>The ratio lines, when both servers have allocation rounds.</summary>
    public static void AppendRatios(StringBuilder text, IReadOnlyList<ServerResult> servers)
    {
        if (FindPair(servers) is not var (reference, subject))
        {
            return;
        }

        string ratio = $"ratio {subject.Name}/{reference.Name}:";
        text.AppendLine(Invariant, $"{ratio} {Ratio(subject.MedianAllocationsPerSecond, reference.MedianAllocationsPerSecond)} allocations/s");
        text.AppendLine(Invariant, $"{ratio} {Ratio(subject.MemoryPerAllocationBytes, reference.MemoryPerAllocationBytes)} memory per allocation (lower is better)");
        text.AppendLine(Invariant, $"{ratio} {Ratio(subject.MedianReleasesPerSecond, reference.MedianReleasesPerSecond)} releases/s");
    }

    /// <summary>The reference (coturn) and the other server, when both have allocation rounds.</summary>
    public static (ServerResult Reference, ServerResult Subject)? FindPair(IReadOnlyList<ServerResult> servers) =>
        servers.Count == 2 && servers[0].AllocationRounds.Count > 0 && servers[1].AllocationRounds.Count > 0
            ? (servers[0], servers[1])
            : null;
}
