using System.Globalization;
using System.Text;
using Parley.Bench.Common;
using static Parley.Bench.Common.ReportFormat;

namespace Parley.Bench.Signaling;

/// <summary>What the run was, for the report's header and the JSON.</summary>
/// <param name="Paced">In paced mode, its rates and latency goal; null for the closed loop.</param>
internal sealed record RunInfo(LoadSettings Load, int Rounds, bool Short, bool Control, IReadOnlyList<MachineLoad> MachineLoad,
    string GcSettings, string ParleyRevision, DateTimeOffset Started, TimeSpan Elapsed, PacedPlan? Paced = null);

/// <summary>Prints the results as a table, with the details and the ratios below it.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Header(LoadSettings load, int rounds) => string.Create(Invariant,
        $"Chat fan-out over OpenVidu's WebSocket JSON-RPC, 127.0.0.1: {load.Participants} participants in one session, {load.Senders} senders x {load.Window} sendMessage outstanding, each signal broadcast to all {load.Participants}; {load.Duration.TotalSeconds:0.#} s x {rounds} round{(rounds == 1 ? "" : "s")} per server (after {load.Warmup.TotalSeconds:0.#} s warm-up), alternating; the load generator and both servers share this machine's {Environment.ProcessorCount} cores");

    public static string RoundLine(ServerResult server, RoundResult round) => string.Create(Invariant,
        $"  round {round.Round} {server.Name,-6} {Count(round.SignalsPerSecond),9} signals/s {Count(round.DeliveriesPerSecond),10} deliveries/s  p50 {Latency(round.P50Microseconds)}  p99 {Latency(round.P99Microseconds)}  server {round.ServerCores:0.00} cores, {round.ServerCpuMicrosecondsPerDelivery:0.00} us/delivery  client {round.ClientCores:0.00} cores, {round.ClientBytesPerDelivery:0} B/delivery  delivered {round.DeliveriesReceived:N0}/{round.DeliveriesExpected:N0}  errors {round.Errors}");

    public static string Format(RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        var text = new StringBuilder();
        text.AppendLine(Header(run.Load, run.Rounds));
        var rows = new List<string[]>
        {
            new[] { "server", "signals/s", "deliveries/s", "rounds (deliveries/s)", "p50", "p99", "CPU/delivery", "server CPU", "client CPU", "RSS idle", "RSS after", "errors" },
        };
        foreach (ServerResult server in servers)
        {
            rows.Add(
            [
                server.Name,
                Count(server.MedianSignalsPerSecond),
                Count(server.MedianDeliveriesPerSecond),
                string.Join(" ", server.Rounds.Select(r => Count(r.DeliveriesPerSecond))),
                Latency(server.MedianP50),
                Latency(server.MedianP99),
                double.IsFinite(server.CpuMicrosecondsPerDelivery) ? server.CpuMicrosecondsPerDelivery.ToString("0.00", Invariant) + " us" : "-",
                server.ServerCores.ToString("0.00", Invariant) + " cores",
                server.ClientCores.ToString("0.00", Invariant) + " cores",
                Size(server.ResidentIdleBytes),
                Size(server.ResidentAfterBytes),
                server.Errors.ToString(Invariant),
            ]);
        }

        TextTable.Append(text, rows);
        text.AppendLine();
        foreach (ServerResult server in servers)
        {
            long expected = server.Rounds.Sum(r => r.DeliveriesExpected);
            long received = server.Rounds.Sum(r => r.DeliveriesReceived);
            text.AppendLine(Invariant,
                $"{server.Name}: delivered {received:N0} of {expected:N0} signals x participants{(server.Errors == 0 && received == expected ? ", all in order" : "")}; joins {string.Join(" ", server.Rounds.Select(r => $"{r.JoinTime.TotalMilliseconds:0} ms"))}; p90 {Latency(Statistics.Median(server.Rounds.Select(r => r.P90Microseconds)))}, max {Latency(server.Rounds.Max(r => r.MaxMicroseconds))}; {server.Threads?.ToString(Invariant) ?? "?"} threads, peak RSS {Size(server.PeakResidentBytes)}, listening {server.StartupTime.TotalSeconds:0.00} s after start; late pongs {server.Rounds.Sum(r => r.LatePongs)}{server.IdleCpu.ReportClause}");
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

        if (FindPair(servers) is var (raw, parley))
        {
            string name = $"{parley.Name}/{raw.Name}";
            text.AppendLine();
            text.AppendLine(Invariant, $"ratio {name}: {Ratio(parley.MedianDeliveriesPerSecond, raw.MedianDeliveriesPerSecond)} deliveries/s");
            text.AppendLine(Invariant, $"ratio {name}: {Ratio(parley.MedianP99, raw.MedianP99)} p99 latency (lower is better; p50 {Ratio(parley.MedianP50, raw.MedianP50)})");
            text.AppendLine(Invariant, $"ratio {name}: {Ratio(parley.CpuMicrosecondsPerDelivery, raw.CpuMicrosecondsPerDelivery)} server CPU per delivery (lower is better)");
            text.AppendLine(Invariant, $"ratio {name}: {Ratio(parley.ResidentAfterBytes, raw.ResidentAfterBytes)} RSS after load");
        }

        return text.ToString();
    }

    /// <summary>The peer (the first server) and the one compared with it (the second).</summary>
    public static (ServerResult Raw, ServerResult Parley)? FindPair(IReadOnlyList<ServerResult> servers) =>
        servers.Count == 2 ? (servers[0], servers[1]) : null;

    /// <summary>Microseconds as "850 us" or "12.3 ms".</summary>
    public static string Latency(double microseconds) => !double.IsFinite(microseconds) ? "-"
        : microseconds < 1000 ? microseconds.ToString("0", Invariant) + " us"
        : microseconds < 100_000 ? (microseconds / 1000).ToString("0.00", Invariant) + " ms"
        : (microseconds / 1000).ToString("0", Invariant) + " ms";
}
