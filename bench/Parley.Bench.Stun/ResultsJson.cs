using System.Text.Json;
using Parley.Bench.Common;
using static Parley.Bench.Common.JsonResults;

namespace Parley.Bench.Stun;

/// <summary>
/// The results as JSON (bench/results/stun-latest.json, or --output): the settings, the machine load, every figure
/// of every server and round, and the ratios.
/// </summary>
internal static class ResultsJson
{
    public static void Write(string path, RunInfo run, IReadOnlyList<ServerResult> servers) =>
        JsonResults.Write(path, "stun-binding-udp", run.Started, json => WriteFields(json, run, servers));

    private static void WriteFields(Utf8JsonWriter json, RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        WriteMachine(json);
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
        MachineLoad.WriteJson(json, run.MachineLoad);
        WriteArray(json, "servers", servers, WriteServer);

        if (Report.FindPair(servers) is var (coturn, parley))
        {
            json.WriteStartObject("parleyOverCoturn");
            WriteNumber(json, "answeredPerSecond", parley.MedianAnsweredPerSecond / coturn.MedianAnsweredPerSecond);
            WriteNumber(json, "serverCpuPerAnswer", parley.CpuMicrosecondsPerAnswer / coturn.CpuMicrosecondsPerAnswer);
            WriteNumber(json, "residentAfterLoad", (double?)parley.ResidentAfterBytes / coturn.ResidentAfterBytes);
            json.WriteEndObject();
        }
    }

    private static void WriteServer(Utf8JsonWriter json, ServerResult server)
    {
        json.WriteString("name", server.Name);
        json.WriteString("command", server.Command);
        WriteNumber(json, "threads", server.Threads);
        json.WriteNumber("startupSeconds", Math.Round(server.StartupTime.TotalSeconds, 3));

        json.WriteStartObject("closedLoop");
        WriteNumber(json, "medianAnsweredPerSecond", server.MedianAnsweredPerSecond);
        WriteArray(json, "rounds", server.Rounds, WriteRound);
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

        WriteNumber(json, "coresWhileOtherMeasured", server.IdleCpu.Cores);
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
    }

    private static void WriteRound(Utf8JsonWriter json, ClosedLoopResult round)
    {
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
    }
}
