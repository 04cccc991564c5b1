using System.Globalization;
using System.Text;
using Parley.Bench.Common;
using static Parley.Bench.Common.ReportFormat;

namespace Parley.Bench.Turn;

/// <summary>Prints the results as a table, with the details, the failures and the ratios below it.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        var text = new StringBuilder();
        LoadSettings load = run.Load;
        text.AppendLine(Invariant,
            $"TURN relay over UDP ({load.ModeDescription}, {load.PayloadSize}-byte payloads), 127.0.0.1: {load.Clients} clients x {load.Window} in flight on {load.EffectiveClientThreads} client thread{Plural(load.EffectiveClientThreads)} + {load.EffectivePeerThreads} echo peer thread{Plural(load.EffectivePeerThreads)}, {load.Duration.TotalSeconds:0.#} s x {run.Rounds} round{Plural(run.Rounds)} (after {load.Warmup.TotalSeconds:0.#} s warm-up), {Environment.ProcessorCount} cores shared by clients, peer and servers");
        if (run.OpenLoopRate is { } rate)
        {
            text.AppendLine(Invariant,
                $"open loop (p50, p99, loss): {Count(rate)} round trips/s ({run.OpenLoopRateSource}) for {load.Duration.TotalSeconds:0.#} s after {load.Warmup.TotalSeconds:0.#} s warm-up");
        }

        var rows = new List<string[]>
        {
            new[] { "server", "round trips/s", "rounds", "errors", "timeouts", "CPU/relayed", "CPU", "p50", "p99", "loss", "RSS idle", "RSS after" },
        };
        foreach (ServerResult server in servers)
        {
            OpenLoopResult? open = server.OpenLoop;
            rows.Add(
            [
                server.Name,
                server.Rounds.Count == 0 ? (server.Failed ? "FAILED" : "-") : Count(server.MedianRoundTripsPerSecond),
                string.Join(" ", server.Rounds.Select(r => Count(r.RoundTripsPerSecond))),
                server.Errors.ToString(Invariant),
                server.TimedOut.ToString(Invariant),
                double.IsNaN(server.CpuMicrosecondsPerRelayed) ? "-" : $"{server.CpuMicrosecondsPerRelayed.ToString("0.00", Invariant)} us",
                double.IsNaN(server.Cores) ? "-" : $"{server.Cores.ToString("0.00", Invariant)} cores",
                Latency.Format(open?.Latency.PercentileMicroseconds(0.5) ?? double.NaN),
                Latency.Format(open?.Latency.PercentileMicroseconds(0.99) ?? double.NaN),
                open is null ? "-" : $"{open.LossPercent.ToString("0.000", Invariant)}%",
                Size(server.ResidentIdleBytes),
                Size(server.ResidentAfterBytes),
            ]);
        }

        TextTable.Append(text, rows);
        text.AppendLine();
        foreach (ServerResult server in servers)
        {
            AppendDetails(text, server, load.Clients);
        }

        if (MachineLoad.Summarize(run.MachineLoad) is { } machineLoad)
        {
            text.AppendLine(machineLoad);
        }

        AllocationTable.Append(text, run.Allocations, servers);
        if (FindPair(servers) is var (reference, subject))
        {
            string ratio = $"ratio {subject.Name}/{reference.Name}:";
            text.AppendLine();
            text.AppendLine(Invariant, $"{ratio} {Ratio(subject.MedianRoundTripsPerSecond, reference.MedianRoundTripsPerSecond)} round trips/s");
            text.AppendLine(Invariant, $"{ratio} {Ratio(subject.CpuMicrosecondsPerRelayed, reference.CpuMicrosecondsPerRelayed)} server CPU per relayed packet (lower is better)");
            if (subject.OpenLoop is { } s && reference.OpenLoop is { } r)
            {
                text.AppendLine(Invariant,
                    $"{ratio} {Ratio(s.Latency.PercentileMicroseconds(0.99), r.Latency.PercentileMicroseconds(0.99))} p99 round trip at {Count(r.TargetPerSecond)}/s (lower is better; p50 {Ratio(s.Latency.PercentileMicroseconds(0.5), r.Latency.PercentileMicroseconds(0.5))})");
            }

            text.AppendLine(Invariant, $"{ratio} {Ratio(subject.ResidentAfterBytes, reference.ResidentAfterBytes)} RSS after load");
            AllocationTable.AppendRatios(text, servers);
        }

        return text.ToString();
    }

    /// <summary>The reference (coturn) and the other server, when both have closed-loop figures.</summary>
    public static (ServerResult Reference, ServerResult Subject)? FindPair(IReadOnlyList<ServerResult> servers) =>
        servers.Count == 2 && servers[0].Rounds.Count > 0 && servers[1].Rounds.Count > 0 ? (servers[0], servers[1]) : null;

    private static void AppendDetails(StringBuilder text, ServerResult server, int clients)
    {
        if (server.OpenLoop is { } open)
        {
            KernelDrops drops = open.Drops;
            text.AppendLine(Invariant,
                $"{server.Name}: open loop at {Count(open.TargetPerSecond)}/s for {open.Sending.TotalSeconds:0.0} s: sent {open.Sent:N0} ({Count(open.SentPerSecond)}/s{(open.Skipped > 0 ? $", {open.Skipped:N0} skipped by a late load thread" : "")}), echoed by the peer {open.Echoed:N0}, answered {open.Answered:N0}, lost {open.Sent - open.Answered:N0}; RTT p90 {Latency.Format(open.Latency.PercentileMicroseconds(0.9))}, p99.9 {Latency.Format(open.Latency.PercentileMicroseconds(0.999))}, max {Latency.Format(open.Latency.MaxNanoseconds / 1000.0)}; kernel drops at the server socket {drops.Server:N0}, relay sockets {drops.Relay:N0}, peer {drops.Peer:N0}, clients {drops.Clients:N0}; server CPU {open.ServerCores:0.00} cores, {open.ServerCpuMicrosecondsPerRelayed:0.00} us/relayed");
        }

        if (server.Rounds.Count > 0)
        {
            string busiest = string.Join(" ", server.Rounds.Select(r =>
                string.Join("+", r.BusiestThreadCores.Where(c => c >= 0.05).Select(c => c.ToString("0.00", Invariant)))));
            double setup = Statistics.Median(server.Rounds.Select(r => r.SetupTime.TotalMilliseconds));
            double closedP50 = Statistics.Median(server.Rounds.Select(r => r.Latency.PercentileMicroseconds(0.5)));
            double closedP99 = Statistics.Median(server.Rounds.Select(r => r.Latency.PercentileMicroseconds(0.99)));
            IEnumerable<ClosedLoopResult> all = server.Rounds;
            double generatorCores = all.Sum(r => r.LoadGeneratorCpu.TotalSeconds) / all.Sum(r => r.Measured.TotalSeconds);
            double allocated = (double)all.Sum(r => r.AllocatedBytes) / all.Sum(r => r.Totals.Answered);
            text.AppendLine(Invariant,
                $"{server.Name}: {server.Threads?.ToString(Invariant) ?? "?"} threads (busiest per round, cores: {busiest}), peak RSS {Size(server.PeakResidentBytes)}, answering {server.StartupTime.TotalSeconds:0.00} s after start; {clients} allocations set up in {setup:0} ms (median); closed-loop RTT p50 {Latency.Format(closedP50)}, p99 {Latency.Format(closedP99)} (queueing: clients x window in flight); late replies {server.Rounds.Sum(r => r.Totals.Late):N0}; load generator {generatorCores:0.00} cores, {allocated:0.00} bytes allocated per round trip{server.IdleCpu.ReportClause}");
        }

        foreach ((string fault, long count) in server.Faults())
        {
            text.AppendLine(Invariant, $"{server.Name}: ERROR {count:N0} x {fault}");
        }

        if (server.FirstReleaseProblem is { } release)
        {
            text.AppendLine(Invariant, $"{server.Name}: first failed release: {release}");
        }

        if (server.Failed)
        {
            text.AppendLine(Invariant, $"{server.Name}: FAILED during {server.FailedDuring}: {server.Failure}");
        }
    }

    private static string Plural(int count) => count == 1 ? "" : "s";
}
