using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

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

/// <summary>
/// What else the machine did during one measurement, in cores: CPU that neither the servers nor the benchmark
/// account for, softirq (mostly this benchmark's own packets), and steal (the hypervisor's other guests).
/// </summary>
internal sealed record MachineLoad(string Run, double OtherCores, double SoftIrqCores, double StealCores);

/// <summary>Prints the results as a table and writes them as JSON.</summary>
internal static class Report
{
    /// <summary>Other load above this, in cores, is reported as making the figures unreliable.</summary>
    public const double NoiseThresholdCores = 0.1;

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

        AppendTable(text, rows);
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
            string idle = server.IdleTime > TimeSpan.Zero ? $"; CPU while the other was measured {server.IdleCpu / server.IdleTime:0.000} cores" : "";
            text.AppendLine(Invariant,
                $"{server.Name}: {server.Threads?.ToString(Invariant) ?? "?"} threads (busiest per round, cores: {busiest}), peak RSS {Size(server.PeakResidentBytes)}, answering {server.StartupTime.TotalSeconds:0.00} s after start; late answers {server.Rounds.Sum(r => r.Late):N0}{idle}");
            foreach ((string fault, long count) in server.Faults())
            {
                text.AppendLine(Invariant, $"{server.Name}: ERROR {count:N0} x {fault}");
            }
        }

        MachineLoad? noisiest = run.MachineLoad.MaxBy(m => m.OtherCores + m.StealCores);
        if (noisiest is not null)
        {
            double other = noisiest.OtherCores + noisiest.StealCores;
            text.AppendLine(Invariant,
                $"{(other > NoiseThresholdCores ? "WARNING: " : "")}other load on the machine: up to {other:0.00} cores ({noisiest.OtherCores:0.00} other processes, {noisiest.StealCores:0.00} steal) during {noisiest.Run}{(other > NoiseThresholdCores ? "; the figures are not reliable, run again on a quiet machine" : "")}");
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

    public static void WriteJson(string path, RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("benchmark", "stun-binding-udp");
        json.WriteString("started", run.Started);
        json.WriteStartObject("machine");
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteString("os", RuntimeInformation.OSDescription);
        json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
        json.WriteEndObject();
        json.WriteStartObject("settings");
        json.WriteString("address", "127.0.0.1");
        json.WriteNumber("sockets", run.Load.Sockets);
        json.WriteNumber("window", run.Load.Window);
        json.WriteNumber("clientThreads", Math.Min(run.Load.Threads, run.Load.Sockets));
        json.WriteNumber("durationSeconds", run.Load.Duration.TotalSeconds);
        json.WriteNumber("warmupSeconds", run.Load.Warmup.TotalSeconds);
        json.WriteNumber("requestTimeoutSeconds", run.Load.RequestTimeout.TotalSeconds);
        json.WriteNumber("rounds", run.Rounds);
        WriteNumber(json, "openLoopRequestsPerSecond", run.OpenLoopRate);
        json.WriteEndObject();
        json.WriteString("coturnVersion", run.CoturnVersion);
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

        if (FindPair(servers) is var (coturn, parley))
        {
            json.WriteStartObject("parleyOverCoturn");
            WriteNumber(json, "answeredPerSecond", parley.MedianAnsweredPerSecond / coturn.MedianAnsweredPerSecond);
            WriteNumber(json, "serverCpuPerAnswer", parley.CpuMicrosecondsPerAnswer / coturn.CpuMicrosecondsPerAnswer);
            WriteNumber(json, "residentAfterLoad", (double?)parley.ResidentAfterBytes / coturn.ResidentAfterBytes);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static void WriteServer(Utf8JsonWriter json, ServerResult server)
    {
        json.WriteStartObject();
        json.WriteString("name", server.Name);
        json.WriteString("command", server.Command);
        WriteNumber(json, "threads", server.Threads);
        json.WriteNumber("startupSeconds", Math.Round(server.StartupTime.TotalSeconds, 3));

        json.WriteStartObject("closedLoop");
        WriteNumber(json, "medianAnsweredPerSecond", server.MedianAnsweredPerSecond);
        json.WriteStartArray("rounds");
        foreach (ClosedLoopResult round in server.Rounds)
        {
            json.WriteStartObject();
            WriteNumber(json, "answeredPerSecond", round.AnsweredPerSecond);
            json.WriteNumber("answered", round.Answered);
            json.WriteNumber("timedOut", round.Lost);
            json.WriteNumber("late", round.Late);
            json.WriteNumber("errors", round.Totals.Errors);
            WriteNumber(json, "measuredSeconds", round.Measured.TotalSeconds);
            WriteNumber(json, "serverCores", round.ServerCores);
            WriteNumber(json, "serverCpuMicrosecondsPerAnswer", round.ServerCpuMicrosecondsPerAnswer);
            json.WriteStartArray("busiestThreadsCores");
            foreach (double cores in round.BusiestThreadCores)
            {
                json.WriteNumberValue(Math.Round(cores, 3));
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("timedOut", server.TimedOut);
        WriteNumber(json, "serverCores", server.Cores);
        WriteNumber(json, "serverCpuMicrosecondsPerAnswer", server.CpuMicrosecondsPerAnswer);
        json.WriteEndObject();

        if (server.OpenLoop is { } open)
        {
            json.WriteStartObject("openLoop");
            WriteNumber(json, "targetPerSecond", open.TargetPerSecond);
            WriteNumber(json, "sentPerSecond", open.SentPerSecond);
            json.WriteNumber("sent", open.Sent);
            json.WriteNumber("answered", open.Answered);
            WriteNumber(json, "lossPercent", open.LossPercent);
            json.WriteNumber("errors", open.Totals.Errors);
            json.WriteNumber("serverSocketDrops", open.ServerSocketDrops);
            json.WriteNumber("clientSocketDrops", open.ClientSocketDrops);
            WriteNumber(json, "serverCores", open.ServerCores);
            json.WriteEndObject();
        }

        WriteNumber(json, "coresWhileOtherMeasured", server.IdleTime > TimeSpan.Zero ? server.IdleCpu / server.IdleTime : null);
        json.WriteNumber("errors", server.Errors);
        json.WriteStartObject("faults");
        foreach ((string fault, long count) in server.Faults())
        {
            json.WriteNumber(fault, count);
        }

        json.WriteEndObject();
        WriteNumber(json, "residentIdleBytes", server.ResidentIdleBytes);
        WriteNumber(json, "residentAfterLoadBytes", server.ResidentAfterBytes);
        WriteNumber(json, "peakResidentBytes", server.PeakResidentBytes);
        json.WriteEndObject();
    }

    private static (ServerResult Coturn, ServerResult Parley)? FindPair(IReadOnlyList<ServerResult> servers)
    {
        ServerResult? coturn = servers.FirstOrDefault(s => s.Name == "coturn");
        ServerResult? parley = servers.FirstOrDefault(s => s.Name == "parley");
        return coturn is not null && parley is not null ? (coturn, parley) : null;
    }

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

    private static string Size(long? bytes) => bytes is { } b
        ? (b / 1048576.0).ToString(b < 10 * 1048576 ? "0.0" : "0", Invariant) + " MiB"
        : "-";

    private static string Ratio(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d != 0 && double.IsFinite(n / d)
            ? (n / d).ToString("0.00", Invariant) + "x"
            : "-";
}
