using System.Text.Json;
using Parley.Bench.Common;
using static Parley.Bench.Common.JsonResults;

namespace Parley.Bench.Signaling;

/// <summary>
/// The results as JSON (bench/results/signaling-latest.json, or --output): the settings, the machine load, every figure
/// of every server and round, and the ratios.
/// </summary>
internal static class ResultsJson
{
    public static void Write(string path, RunInfo run, IReadOnlyList<ServerResult> servers) =>
        JsonResults.Write(path, run.Paced is null ? "openvidu-chat-fanout" : "openvidu-chat-paced", run.Started, json => WriteFields(json, run, servers));

    private static void WriteFields(Utf8JsonWriter json, RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        WriteNumber(json, "elapsedSeconds", run.Elapsed.TotalSeconds);
        WriteMachine(json, note: "the load generator and both servers share these processors");
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
        if (run.Paced is { } paced)
        {
            json.WriteBoolean("paced", true);
            json.WriteNumber("sessions", run.Load.Sessions);
            WriteNumber(json, "signalsPerSecondPerSender", paced.BaseRate);
            WriteNumber(json, "targetSignalsPerSecond", run.Load.TargetSignalsPerSecond);
            WriteNumber(json, "goalP99Milliseconds", paced.Goal.TotalMilliseconds);
            json.WriteBoolean("headroom", paced.Headroom);
            json.WriteStartArray("steps");
            foreach (double step in paced.Steps)
            {
                json.WriteNumberValue(step);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteString("parleyRevision", run.ParleyRevision);
        MachineLoad.WriteJson(json, run.MachineLoad);
        WriteArray(json, "servers", servers, WriteServer);
        if (Report.FindPair(servers) is var (raw, parley))
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

        if (run.Paced is { } plan)
        {
            WriteArray(json, "goal", servers, (json, server) =>
            {
                json.WriteString("name", server.Name);
                json.WriteBoolean("heldAtEveryRound", server.Rounds.Count > 0 && (plan.Headroom ? plan.Holds(server.Rounds[0]) : server.Rounds.All(plan.Holds)));
                int? largest = plan.Headroom ? plan.LargestHeld(server) : null;
                WriteNumber(json, "headroomLargestStep", largest is { } i ? plan.Steps[i] : null);
                WriteNumber(json, "headroomLargestSignalsPerSecondPerSender", largest is { } j ? plan.BaseRate * plan.Steps[j] : null);
            });
        }

        json.WriteNumber("errors", servers.Sum(s => s.Errors));
    }

    private static void WriteServer(Utf8JsonWriter json, ServerResult server)
    {
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
        WriteNumber(json, "coresWhileOtherMeasured", server.IdleCpu.Cores);
        WriteNumber(json, "residentIdleBytes", server.ResidentIdleBytes);
        WriteNumber(json, "residentAfterLoadBytes", server.ResidentAfterBytes);
        WriteNumber(json, "peakResidentBytes", server.PeakResidentBytes);
        json.WriteNumber("errors", server.Errors);
        WriteArray(json, "rounds", server.Rounds, WriteRound);
    }

    private static void WriteRound(Utf8JsonWriter json, RoundResult round)
    {
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
        if (round.TargetSignalsPerSecond is { } target)
        {
            WriteNumber(json, "targetSignalsPerSecond", target);
        }

        json.WriteNumber("errors", round.Errors);
        json.WriteStartArray("errorSamples");
        foreach (string sample in round.ErrorSamples)
        {
            json.WriteStringValue(sample);
        }

        json.WriteEndArray();
    }
}
