using System.Globalization;
using System.Text;
using Parley.Bench.Common;
using static Parley.Bench.Common.ReportFormat;

namespace Parley.Bench.Signaling;

/// <summary>Prints a paced run: a table of the servers (or, for --headroom, of the steps), details, the ratios and
/// whether each server holds the latency goal.</summary>
internal static class PacedReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Header(LoadSettings load, int rounds, PacedPlan plan)
    {
        string timing = plan.Headroom
            ? string.Create(Invariant, $"at {string.Join(", ", plan.Steps.Select(s => $"x{s:0.##}"))} of that rate, {load.Duration.TotalSeconds:0.#} s per step and server (after {load.Warmup.TotalSeconds:0.#} s warm-up), up to the first step neither holds")
            : string.Create(Invariant, $"{load.Duration.TotalSeconds:0.#} s x {rounds} round{(rounds == 1 ? "" : "s")} per server (after {load.Warmup.TotalSeconds:0.#} s warm-up)");
        return string.Create(Invariant,
            $"Paced chat over OpenVidu's WebSocket JSON-RPC, 127.0.0.1: {load.Sessions} sessions x {load.Participants} participants, {load.Senders} of each sending {plan.BaseRate:0.##} signals/s on a timer (at most {load.Window} unanswered), each broadcast to its own session: {Count(load.TargetSignalsPerSecond ?? 0)} signals/s, {Count((load.TargetSignalsPerSecond ?? 0) * load.Participants)} deliveries/s; {timing}, alternating; p99 goal {plan.Goal.TotalMilliseconds:0.##} ms; the load generator and both servers share this machine's {Environment.ProcessorCount} cores");
    }

    public static string RoundLine(ServerResult server, RoundResult round, PacedPlan plan) => string.Create(Invariant,
        $"  round {round.Round} {server.Name,-6} {Count(round.SignalsPerSecond),7} of {Count(round.TargetSignalsPerSecond ?? double.NaN)} signals/s {Count(round.DeliveriesPerSecond),9} deliveries/s  p50 {Report.Latency(round.P50Microseconds)}  p99 {Report.Latency(round.P99Microseconds)}  max {Report.Latency(round.MaxMicroseconds)}  server {round.ServerCores:0.00} cores, {round.ServerCpuMicrosecondsPerDelivery:0.00} us/delivery  client {round.ClientCores:0.00} cores  delivered {round.DeliveriesReceived:N0}/{round.DeliveriesExpected:N0}  errors {round.Errors}{(plan.Holds(round) ? "" : "  (goal not held)")}");

    public static string Format(RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        PacedPlan plan = run.Paced ?? throw new InvalidOperationException("not a paced run");
        var text = new StringBuilder();
        text.AppendLine(Header(run.Load, run.Rounds, plan));
        if (plan.Headroom)
        {
            AppendSteps(text, run, plan, servers);
        }
        else
        {
            AppendServers(text, servers);
        }

        text.AppendLine();
        foreach (ServerResult server in servers)
        {
            long expected = server.Rounds.Sum(r => r.DeliveriesExpected);
            long received = server.Rounds.Sum(r => r.DeliveriesReceived);
            text.AppendLine(Invariant,
                $"{server.Name}: delivered {received:N0} of {expected:N0} signals x participants{(server.Errors == 0 && received == expected ? ", each exactly once and in order per sender" : "")}; joins {string.Join(" ", server.Rounds.Select(r => $"{r.JoinTime.TotalMilliseconds:0} ms"))}; {server.Threads?.ToString(Invariant) ?? "?"} threads, peak RSS {Size(server.PeakResidentBytes)}; late pongs {server.Rounds.Sum(r => r.LatePongs)}{server.IdleCpu.ReportClause}");
            foreach (string sample in server.Rounds.SelectMany(r => r.ErrorSamples.Select(s => $"round {r.Round}: {s}")).Take(12))
            {
                text.AppendLine(Invariant, $"{server.Name}: ERROR {sample}");
            }
        }

        text.AppendLine(Invariant, $"GC: {run.GcSettings}");
        if (MachineLoad.Summarize(run.MachineLoad) is { } machineLoad)
        {
            text.AppendLine(machineLoad);
        }

        text.AppendLine();
        if (plan.Headroom)
        {
            AppendHeadroom(text, run, plan, servers);
        }
        else
        {
            AppendRatiosAndGoal(text, run, plan, servers);
        }

        return text.ToString();
    }

    private static void AppendServers(StringBuilder text, IReadOnlyList<ServerResult> servers)
    {
        var rows = new List<string[]>
        {
            new[] { "server", "signals/s", "deliveries/s", "delivered/expected", "p50", "p99", "max", "server CPU", "CPU/delivery", "client CPU", "RSS idle", "RSS after", "errors" },
        };
        foreach (ServerResult server in servers)
        {
            rows.Add(
            [
                server.Name,
                Count(server.MedianSignalsPerSecond),
                Count(server.MedianDeliveriesPerSecond),
                $"{server.Rounds.Sum(r => r.DeliveriesReceived).ToString("N0", Invariant)}/{server.Rounds.Sum(r => r.DeliveriesExpected).ToString("N0", Invariant)}",
                Report.Latency(server.MedianP50),
                Report.Latency(server.MedianP99),
                Report.Latency(server.Rounds.Count == 0 ? double.NaN : server.Rounds.Max(r => r.MaxMicroseconds)),
                server.ServerCores.ToString("0.00", Invariant) + " cores",
                double.IsFinite(server.CpuMicrosecondsPerDelivery) ? server.CpuMicrosecondsPerDelivery.ToString("0.00", Invariant) + " us" : "-",
                server.ClientCores.ToString("0.00", Invariant) + " cores",
                Size(server.ResidentIdleBytes),
                Size(server.ResidentAfterBytes),
                server.Errors.ToString(Invariant),
            ]);
        }

        TextTable.Append(text, rows);
    }

    private static void AppendSteps(StringBuilder text, RunInfo run, PacedPlan plan, IReadOnlyList<ServerResult> servers)
    {
        var header = new List<string> { "step", "rate/sender", "target signals/s" };
        foreach (ServerResult server in servers)
        {
            header.AddRange([$"{server.Name} signals/s", "p50", "p99", "max", "CPU", "us/delivery", "held"]);
        }

        var rows = new List<string[]> { header.ToArray() };
        for (int i = 0; i < plan.Steps.Count; i++)
        {
            if (!servers.Any(s => i < s.Rounds.Count))
            {
                break;
            }

            var row = new List<string>
            {
                string.Create(Invariant, $"x{plan.Steps[i]:0.##}"),
                string.Create(Invariant, $"{plan.BaseRate * plan.Steps[i]:0.##}/s"),
                Count(plan.BaseRate * plan.Steps[i] * run.Load.Senders * run.Load.Sessions),
            };
            foreach (ServerResult server in servers)
            {
                if (i >= server.Rounds.Count)
                {
                    row.AddRange(["-", "-", "-", "-", "-", "-", "-"]);
                    continue;
                }

                RoundResult round = server.Rounds[i];
                row.AddRange(
                [
                    Count(round.SignalsPerSecond),
                    Report.Latency(round.P50Microseconds),
                    Report.Latency(round.P99Microseconds),
                    Report.Latency(round.MaxMicroseconds),
                    round.ServerCores.ToString("0.00", Invariant),
                    round.ServerCpuMicrosecondsPerDelivery.ToString("0.00", Invariant),
                    plan.Holds(round) ? "yes" : "no",
                ]);
            }

            rows.Add(row.ToArray());
        }

        TextTable.Append(text, rows);
    }

    private static void AppendHeadroom(StringBuilder text, RunInfo run, PacedPlan plan, IReadOnlyList<ServerResult> servers)
    {
        foreach (ServerResult server in servers)
        {
            text.AppendLine(plan.LargestHeld(server) is { } i
                ? string.Create(Invariant, $"headroom {server.Name}: p99 under {plan.Goal.TotalMilliseconds:0.##} ms up to x{plan.Steps[i]:0.##} ({plan.BaseRate * plan.Steps[i]:0.##} signals/s per sender, {Count(plan.BaseRate * plan.Steps[i] * run.Load.Senders * run.Load.Sessions)} signals/s, {Count(plan.BaseRate * plan.Steps[i] * run.Load.Senders * run.Load.Sessions * run.Load.Participants)} deliveries/s; p99 {Report.Latency(server.Rounds[i].P99Microseconds)}){(i == plan.Steps.Count - 1 ? ", the largest step tried" : "")}")
                : string.Create(Invariant, $"headroom {server.Name}: p99 not under {plan.Goal.TotalMilliseconds:0.##} ms even at x{plan.Steps[0]:0.##}"));
        }
    }

    private static void AppendRatiosAndGoal(StringBuilder text, RunInfo run, PacedPlan plan, IReadOnlyList<ServerResult> servers)
    {
        if (Report.FindPair(servers) is var (raw, parley))
        {
            string name = $"{parley.Name}/{raw.Name}";
            text.AppendLine(Invariant, $"ratio {name}: {Ratio(parley.MedianP99, raw.MedianP99)} p99 latency (lower is better; p50 {Ratio(parley.MedianP50, raw.MedianP50)})");
            text.AppendLine(Invariant, $"ratio {name}: {Ratio(parley.ServerCores, raw.ServerCores)} server CPU, {Ratio(parley.CpuMicrosecondsPerDelivery, raw.CpuMicrosecondsPerDelivery)} per delivery (lower is better)");
            text.AppendLine(Invariant, $"ratio {name}: {Ratio(parley.ResidentAfterBytes, raw.ResidentAfterBytes)} RSS after load");
            text.AppendLine();
        }

        foreach (ServerResult server in servers)
        {
            bool holds = server.Rounds.Count > 0 && server.Rounds.All(plan.Holds);
            text.AppendLine(Invariant,
                $"goal {server.Name}: p99 under {plan.Goal.TotalMilliseconds:0.##} ms at {run.Load.Sessions} x {run.Load.Participants} x {plan.BaseRate:0.##}/s: {(holds ? "held" : "NOT held")} (p99 {Report.Latency(server.MedianP99)}, {Count(server.MedianSignalsPerSecond)} of {Count(run.Load.TargetSignalsPerSecond ?? double.NaN)} signals/s)");
        }
    }
}
