using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Parley.Bench.Signaling;

/// <summary>What the run was, for the report's header and the JSON.</summary>
internal sealed record RunInfo(LoadSettings Load, int Rounds, bool Short, bool Control, IReadOnlyList<MachineLoad> MachineLoad,
    string GcSettings, string ParleyRevision, DateTimeOffset Started, TimeSpan Elapsed);

/// <summary>Prints the results as a table and writes them as JSON.</summary>
internal static class Report
{
    /// <summary>Other load above this, in cores, is reported as making the figures unreliable.</summary>
    public const double NoiseThresholdCores = 0.1;

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

        AppendTable(text, rows);
        text.AppendLine();
        foreach (ServerResult server in servers)
        {
            long expected = server.Rounds.Sum(r => r.DeliveriesExpected);
            long received = server.Rounds.Sum(r => r.DeliveriesReceived);
            string idle = server.IdleTime > TimeSpan.Zero ? $"; CPU while the other was measured {server.IdleCpu / server.IdleTime:0.000} cores" : "";
            text.AppendLine(Invariant,
                $"{server.Name}: delivered {received:N0} of {expected:N0} signals x participants{(server.Errors == 0 && received == expected ? ", all in order" : "")}; joins {string.Join(" ", server.Rounds.Select(r => $"{r.JoinTime.TotalMilliseconds:0} ms"))}; p90 {Latency(ServerResult.Median(server.Rounds.Select(r => r.P90Microseconds)))}, max {Latency(server.Rounds.Max(r => r.MaxMicroseconds))}; {server.Threads?.ToString(Invariant) ?? "?"} threads, peak RSS {Size(server.PeakResidentBytes)}, listening {server.StartupTime.TotalSeconds:0.00} s after start; late pongs {server.Rounds.Sum(r => r.LatePongs)}{idle}");
            foreach (string sample in server.Rounds.SelectMany(r => r.ErrorSamples.Select(s => $"round {r.Round}: {s}")).Take(12))
            {
                text.AppendLine(Invariant, $"{server.Name}: ERROR {sample}");
            }
        }

        text.AppendLine(Invariant, $"GC: {run.GcSettings}");
        MachineLoad? noisiest = run.MachineLoad.MaxBy(m => m.OtherCores + m.StealCores);
        if (noisiest is not null)
        {
            double other = noisiest.OtherCores + noisiest.StealCores;
            bool noisy = other > NoiseThresholdCores;
            text.AppendLine(Invariant,
                $"{(noisy ? "WARNING: " : "")}other load on the machine: up to {other:0.00} cores ({noisiest.OtherCores:0.00} other processes, {noisiest.StealCores:0.00} steal) during {noisiest.Run}{(noisy ? "; the figures are not reliable, run again on a quiet machine" : "")}");
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

    public static void WriteJson(string path, RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using FileStream stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("benchmark", "openvidu-chat-fanout");
        json.WriteString("started", run.Started);
        WriteNumber(json, "elapsedSeconds", run.Elapsed.TotalSeconds);
        json.WriteStartObject("machine");
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteString("os", RuntimeInformation.OSDescription);
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        json.WriteString("note", "the load generator and both servers share these processors");
        json.WriteEndObject();
        json.WriteStartObject("settings");
        json.WriteString("address", "127.0.0.1");
        json.WriteBoolean("short", run.Short);
        json.WriteBoolean("control", run.Control);
        json.WriteNumber("participants", run.Load.Participants);
        json.WriteNumber("senders", run.Load.Senders);
        json.WriteNumber("window", run.Load.Window);
        json.WriteNumber("durationSeconds", run.Load.Duration.TotalSeconds);
        json.WriteNumber("warmupSeconds", run.Load.Warmup.TotalSeconds);
        json.WriteNumber("rounds", run.Rounds);
        json.WriteNumber("pingIntervalSeconds", LoadSettings.PingInterval.TotalSeconds);
        json.WriteString("gc", run.GcSettings);
        json.WriteEndObject();
        json.WriteString("parleyRevision", run.ParleyRevision);
        json.WriteStartArray("machineLoad");
        foreach (MachineLoad load in run.MachineLoad)
        {
            json.WriteStartObject();
            json.WriteString("run", load.Run);
            WriteNumber(json, "otherCores", load.OtherCores);
            WriteNumber(json, "softIrqCores", load.SoftIrqCores);
            WriteNumber(json, "stealCores", load.StealCores);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("servers");
        foreach (ServerResult server in servers)
        {
            WriteServer(json, server);
        }

        json.WriteEndArray();
        if (FindPair(servers) is var (raw, parley))
        {
            json.WriteStartObject($"{parley.Name}Over{char.ToUpperInvariant(raw.Name[0])}{raw.Name[1..]}");
            WriteNumber(json, "signalsPerSecond", parley.MedianSignalsPerSecond / raw.MedianSignalsPerSecond);
            WriteNumber(json, "deliveriesPerSecond", parley.MedianDeliveriesPerSecond / raw.MedianDeliveriesPerSecond);
            WriteNumber(json, "p50Latency", parley.MedianP50 / raw.MedianP50);
            WriteNumber(json, "p99Latency", parley.MedianP99 / raw.MedianP99);
            WriteNumber(json, "serverCpuPerDelivery", parley.CpuMicrosecondsPerDelivery / raw.CpuMicrosecondsPerDelivery);
            WriteNumber(json, "residentAfterLoad", (double?)parley.ResidentAfterBytes / raw.ResidentAfterBytes);
            json.WriteEndObject();
        }

        json.WriteNumber("errors", servers.Sum(s => s.Errors));
        json.WriteEndObject();
    }

    private static void WriteServer(Utf8JsonWriter json, ServerResult server)
    {
        json.WriteStartObject();
        json.WriteString("name", server.Name);
        json.WriteString("command", server.Command);
        WriteNumber(json, "threads", server.Threads);
        WriteNumber(json, "startupSeconds", server.StartupTime.TotalSeconds);
        WriteNumber(json, "medianSignalsPerSecond", server.MedianSignalsPerSecond);
        WriteNumber(json, "medianDeliveriesPerSecond", server.MedianDeliveriesPerSecond);
        WriteNumber(json, "medianP50Microseconds", server.MedianP50);
        WriteNumber(json, "medianP99Microseconds", server.MedianP99);
        WriteNumber(json, "serverCpuMicrosecondsPerDelivery", server.CpuMicrosecondsPerDelivery);
        WriteNumber(json, "serverCores", server.ServerCores);
        WriteNumber(json, "clientCores", server.ClientCores);
        WriteNumber(json, "coresWhileOtherMeasured", server.IdleTime > TimeSpan.Zero ? server.IdleCpu / server.IdleTime : null);
        WriteNumber(json, "residentIdleBytes", server.ResidentIdleBytes);
        WriteNumber(json, "residentAfterLoadBytes", server.ResidentAfterBytes);
        WriteNumber(json, "peakResidentBytes", server.PeakResidentBytes);
        json.WriteNumber("errors", server.Errors);
        json.WriteStartArray("rounds");
        foreach (RoundResult round in server.Rounds)
        {
            json.WriteStartObject();
            json.WriteNumber("round", round.Round);
            WriteNumber(json, "measuredSeconds", round.Measured.TotalSeconds);
            WriteNumber(json, "joinSeconds", round.JoinTime.TotalSeconds);
            json.WriteNumber("signals", round.Signals);
            json.WriteNumber("deliveries", round.Deliveries);
            WriteNumber(json, "signalsPerSecond", round.SignalsPerSecond);
            WriteNumber(json, "deliveriesPerSecond", round.DeliveriesPerSecond);
            WriteNumber(json, "p50Microseconds", round.P50Microseconds);
            WriteNumber(json, "p90Microseconds", round.P90Microseconds);
            WriteNumber(json, "p99Microseconds", round.P99Microseconds);
            WriteNumber(json, "maxMicroseconds", round.MaxMicroseconds);
            WriteNumber(json, "serverCores", round.ServerCores);
            WriteNumber(json, "clientCores", round.ClientCores);
            WriteNumber(json, "clientAllocatedBytesPerDelivery", round.ClientBytesPerDelivery);
            WriteNumber(json, "serverCpuMicrosecondsPerDelivery", round.ServerCpuMicrosecondsPerDelivery);
            json.WriteNumber("signalsSent", round.SignalsSent);
            json.WriteNumber("deliveriesExpected", round.DeliveriesExpected);
            json.WriteNumber("deliveriesReceived", round.DeliveriesReceived);
            json.WriteNumber("otherNotifications", round.OtherNotifications);
            json.WriteNumber("latePongs", round.LatePongs);
            WriteNumber(json, "residentJoinedBytes", round.ResidentJoinedBytes);
            WriteNumber(json, "residentAfterBytes", round.ResidentAfterBytes);
            json.WriteNumber("errors", round.Errors);
            json.WriteStartArray("errorSamples");
            foreach (string sample in round.ErrorSamples)
            {
                json.WriteStringValue(sample);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The peer (the first server) and the one compared with it (the second).</summary>
    private static (ServerResult Raw, ServerResult Parley)? FindPair(IReadOnlyList<ServerResult> servers) =>
        servers.Count == 2 ? (servers[0], servers[1]) : null;

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void AppendTable(StringBuilder text, List<string[]> rows)
    {
        int[] widths = new int[rows[0].Length];
        foreach (string[] row in rows)
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (string[] row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Count(double value) => double.IsFinite(value) ? value.ToString("N0", Invariant) : "-";

    /// <summary>Microseconds as "850 us" or "12.3 ms".</summary>
    private static string Latency(double microseconds) => !double.IsFinite(microseconds) ? "-"
        : microseconds < 1000 ? microseconds.ToString("0", Invariant) + " us"
        : microseconds < 100_000 ? (microseconds / 1000).ToString("0.00", Invariant) + " ms"
        : (microseconds / 1000).ToString("0", Invariant) + " ms";

    private static string Size(long? bytes) => bytes is { } b
        ? (b / 1048576.0).ToString(b < 10 * 1048576 ? "0.0" : "0", Invariant) + " MiB"
        : "-";

    private static string Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d != 0 && double.IsFinite(n / d)
            ? (n / d).ToString("0.00", Invariant) + "x"
            : "-";
}
