using System.Globalization;
using System.Text;
using Parley.Bench.Common;
using static Parley.Bench.Common.ReportFormat;

namespace Parley.Bench.Stun;

/// <summary>What the run was, for the report's header and the JSON.</summary>
internal sealed record RunInfo(
    LoadSettings Load,
    int Rounds,
    double OpenLoopRate,
    IReadOnlyList<MachineLoad> MachineLoad,
    string CoturnVersion,
    string ParleyRevision,
    DateTimeOffset Started);

/// <summary>Prints the results as a table, with the details and the ratios below it.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Format(RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        var text = new StringBuilder();
        LoadSettings load = run.Load;
        text.AppendLine(Invariant,
            $"STUN Binding over UDP, 127.0.0.1, {load.Sockets} sockets x {load.Window} outstanding on {Math.Min(load.Threads, load.Sockets)} client threads, {load.Duration.TotalSeconds:0.#} s x {run.Rounds} round{(run.Rounds == 1 ? "" : "s")} (after {load.Warmup.TotalSeconds:0.#} s warm-up), {Environment.ProcessorCount} cores shared by clients and servers");

        var rows = new List<string[]>
        {
            new[] { "server", "answered/s", "rounds", "errors", "timeouts", "CPU/req", "CPU", "loss@90%coturn", "RSS idle", "RSS after" },
        };
        foreach (ServerResult server in servers)
        {
            rows.Add(
            [
                server.Name,
                Count(server.MedianAnsweredPerSecond),
                string.Join(" ", server.Rounds.Select(r => Count(r.AnsweredPerSecond))),
                server.Errors.ToString(Invariant),
                server.TimedOut.ToString(Invariant),
                double.IsNaN(server.CpuMicrosecondsPerAnswer) ? "-" : $"{server.CpuMicrosecondsPerAnswer.ToString("0.0", Invariant)} us",
                $"{server.Cores.ToString("0.00", Invariant)} cores",
                server.OpenLoop is { } open ? $"{open.LossPercent.ToString("0.00", Invariant)}%" : "-",
                Size(server.ResidentIdleBytes),
                Size(server.ResidentAfterBytes),
            ]);
        }

        TextTable.Append(text, rows);
        text.AppendLine();
        foreach (ServerResult server in servers)
        {
            if (server.OpenLoop is { } open)
            {
                text.AppendLine(Invariant,
                    $"{server.Name}: open loop at {Count(open.TargetPerSecond)}/s for {open.Sending.TotalSeconds:0.0} s: sent {Count(open.SentPerSecond)}/s ({open.Sent:N0}), answered {open.Answered:N0}, lost {open.Sent - open.Answered:N0}; kernel drops at the server socket {open.ServerSocketDrops:N0}, at the client sockets {open.ClientSocketDrops:N0}; server CPU {open.ServerCores:0.00} cores");
            }
        }

        foreach (ServerResult server in servers)
        {
            string busiest = string.Join(" ", server.Rounds.Select(r => string.Join("+", r.BusiestThreadCores.Where(c => c >= 0.05).Select(c => c.ToString("0.00", Invariant)))));
            text.AppendLine(Invariant,
                $"{server.Name}: {server.Threads?.ToString(Invariant) ?? "?"} threads (busiest per round, cores: {busiest}), peak RSS {Size(server.PeakResidentBytes)}, answering {server.StartupTime.TotalSeconds:0.00} s after start; late answers {server.Rounds.Sum(r => r.Late):N0}{server.IdleCpu.ReportClause}");
            foreach ((string fault, long count) in server.Faults())
            {
                text.AppendLine(Invariant, $"{server.Name}: ERROR {count:N0} x {fault}");
            }
        }

        if (MachineLoad.Summarize(run.MachineLoad) is { } machineLoad)
        {
            text.AppendLine(machineLoad);
        }

        if (FindPair(servers) is var (coturn, parley))
        {
            text.AppendLine();
            text.AppendLine(Invariant, $"ratio parley/coturn: {Ratio(parley.MedianAnsweredPerSecond, coturn.MedianAnsweredPerSecond)} answered/s");
            text.AppendLine(Invariant, $"ratio parley/coturn: {Ratio(parley.CpuMicrosecondsPerAnswer, coturn.CpuMicrosecondsPerAnswer)} server CPU per answer (lower is better)");
            text.AppendLine(Invariant, $"ratio parley/coturn: {Ratio(parley.ResidentAfterBytes, coturn.ResidentAfterBytes)} RSS after load");
        }

        return text.ToString();
    }

    public static (ServerResult Coturn, ServerResult Parley)? FindPair(IReadOnlyList<ServerResult> servers)
    {
        ServerResult? coturn = servers.FirstOrDefault(s => s.Name == "coturn");
        ServerResult? parley = servers.FirstOrDefault(s => s.Name == "parley");
        return coturn is not null && parley is not null ? (coturn, parley) : null;
    }
}
