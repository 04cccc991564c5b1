using System.Text.Json;
using Parley.Bench.Common;
using static Parley.Bench.Common.JsonResults;

namespace Parley.Bench.Turn;

/// <summary>
/// The results as JSON (bench/results/turn-latest.json, or --output): the settings, the machine load, every figure
/// of every server and round, each server's failure if it had one, and the ratios.
/// </summary>
internal static class ResultsJson
{
    public static void Write(string path, RunInfo run, IReadOnlyList<ServerResult> servers) =>
        JsonResults.Write(path, "turn-relay-udp", run.Started, json => WriteFields(json, run, servers));

    private static void WriteFields(Utf8JsonWriter json, RunInfo run, IReadOnlyList<ServerResult> servers)
    {
        WriteMachine(json);
        LoadSettings load = run.Load;
        json.WriteStartObject("settings");
        json.WriteString("address", "127.0.0.1");
        json.WriteString("mode", load.Mode == RelayMode.ChannelData ? "channelData" : "sendIndication");
        json.WriteNumber("payloadBytes", load.PayloadSize);
        json.WriteNumber("clients", load.Clients);
        json.WriteNumber("window", load.Window);
        json.WriteNumber("clientThreads", load.EffectiveClientThreads);
        json.WriteNumber("peerThreads", load.EffectivePeerThreads);
        json.WriteNumber("durationSeconds", load.Duration.TotalSeconds);
        json.WriteNumber("warmupSeconds", load.Warmup.TotalSeconds);
        json.WriteNumber("packetTimeoutSeconds", load.PacketTimeout.TotalSeconds);
        json.WriteNumber("rounds", run.Rounds);
        WriteNumber(json, "openLoopRoundTripsPerSecond", run.OpenLoopRate);
        json.WriteString("openLoopRate", run.OpenLoopRateSource);
        json.WriteNumber("allocations", run.Allocations.Count);
        json.WriteNumber("allocationsInFlight", run.Allocations.InFlight);
        json.WriteNumber("allocationThreads", run.Allocations.EffectiveThreads);
        json.WriteEndObject();
        json.WriteString("coturnVersion", run.CoturnVersion);
        json.WriteString("parleyRevision", run.ParleyRevision);
        MachineLoad.WriteJson(json, run.MachineLoad);
        WriteArray(json, "servers", servers, WriteServer);

        if (Report.FindPair(servers) is var (reference, subject))
        {
            json.WriteStartObject($"{subject.Name}Over{char.ToUpperInvariant(reference.Name[0])}{reference.Name[1..]}");
            WriteNumber(json, "roundTripsPerSecond", subject.MedianRoundTripsPerSecond / reference.MedianRoundTripsPerSecond);
            WriteNumber(json, "serverCpuPerRelayedPacket", subject.CpuMicrosecondsPerRelayed / reference.CpuMicrosecondsPerRelayed);
            if (subject.OpenLoop is { } s && reference.OpenLoop is { } r)
            {
                WriteNumber(json, "openLoopP50", s.Latency.PercentileMicroseconds(0.5) / r.Latency.PercentileMicroseconds(0.5));
                WriteNumber(json, "openLoopP99", s.Latency.PercentileMicroseconds(0.99) / r.Latency.PercentileMicroseconds(0.99));
            }

            WriteNumber(json, "residentAfterLoad", (double?)subject.ResidentAfterBytes / reference.ResidentAfterBytes);
            if (AllocationTable.FindPair(servers) is not null)
            {
                WriteNumber(json, "allocationsPerSecond", subject.MedianAllocationsPerSecond / reference.MedianAllocationsPerSecond);
                WriteNumber(json, "memoryPerAllocation", subject.MemoryPerAllocationBytes / reference.MemoryPerAllocationBytes);
                WriteNumber(json, "releasesPerSecond", subject.MedianReleasesPerSecond / reference.MedianReleasesPerSecond);
            }

            json.WriteEndObject();
        }
    }

    private static void WriteServer(Utf8JsonWriter json, ServerResult server)
    {
        json.WriteString("name", server.Name);
        json.WriteString("command", server.Command);
        json.WriteBoolean("failed", server.Failed);
        if (server.Failed)
        {
            json.WriteString("failedDuring", server.FailedDuring);
            json.WriteString("failure", server.Failure);
        }

        WriteNumber(json, "threads", server.Threads);
        json.WriteNumber("startupSeconds", Math.Round(server.StartupTime.TotalSeconds, 3));

        json.WriteStartObject("closedLoop");
        WriteNumber(json, "medianRoundTripsPerSecond", server.Rounds.Count == 0 ? null : server.MedianRoundTripsPerSecond);
        WriteArray(json, "rounds", server.Rounds, WriteRound);
        if (server.WarmupRound is { } warmup)
        {
            json.WriteStartObject("warmupRound");
            WriteRound(json, warmup);
            json.WriteEndObject();
        }
        json.WriteNumber("timedOut", server.TimedOut);
        WriteNumber(json, "serverCores", server.Cores);
        WriteNumber(json, "serverCpuMicrosecondsPerRelayedPacket", server.CpuMicrosecondsPerRelayed);
        json.WriteEndObject();

        if (server.OpenLoop is { } open)
        {
            json.WriteStartObject("openLoop");
            WriteNumber(json, "targetPerSecond", open.TargetPerSecond);
            WriteNumber(json, "sentPerSecond", open.SentPerSecond);
            json.WriteNumber("sent", open.Sent);
            json.WriteNumber("skipped", open.Skipped);
            json.WriteNumber("echoedByPeer", open.Echoed);
            json.WriteNumber("answered", open.Answered);
            WriteNumber(json, "lossPercent", open.LossPercent);
            WriteLatency(json, open.Latency);
            json.WriteNumber("errors", open.Errors);
            json.WriteStartObject("kernelDrops");
            json.WriteNumber("server", open.Drops.Server);
            json.WriteNumber("relay", open.Drops.Relay);
            json.WriteNumber("peer", open.Drops.Peer);
            json.WriteNumber("clients", open.Drops.Clients);
            json.WriteEndObject();
            WriteNumber(json, "serverCores", open.ServerCores);
            WriteNumber(json, "serverCpuMicrosecondsPerRelayedPacket", open.ServerCpuMicrosecondsPerRelayed);
            WriteNumber(json, "setupMilliseconds", open.SetupTime.TotalMilliseconds);
            WriteNumber(json, "allocatedBytesPerRoundTrip", open.Answered == 0 ? null : (double)open.AllocatedBytes / open.Answered);
            json.WriteEndObject();
        }

        if (server.AllocationRounds.Count > 0)
        {
            json.WriteStartObject("allocations");
            WriteNumber(json, "medianAllocationsPerSecond", server.MedianAllocationsPerSecond);
            WriteNumber(json, "memoryPerAllocationKiB", server.MemoryPerAllocationBytes / 1024);
            WriteNumber(json, "serverCpuMicrosecondsPerAllocation", server.CpuMicrosecondsPerAllocation);
            WriteNumber(json, "medianReleasesPerSecond", server.MedianReleasesPerSecond);
            if (server.FirstAllocationProblem is { } problem)
            {
                json.WriteString("firstProblem", problem);
            }

            WriteArray(json, "rounds", server.AllocationRounds, WriteAllocationRound);
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
        if (server.FirstReleaseProblem is { } release)
        {
            json.WriteString("firstReleaseProblem", release);
        }

        WriteNumber(json, "residentIdleBytes", server.ResidentIdleBytes);
        WriteNumber(json, "residentAfterLoadBytes", server.ResidentAfterBytes);
        WriteNumber(json, "peakResidentBytes", server.PeakResidentBytes);
    }

    private static void WriteAllocationRound(Utf8JsonWriter json, AllocationRound round)
    {
        json.WriteNumber("clients", round.Count);
        WriteNumber(json, "allocationsPerSecond", round.AllocationsPerSecond);
        json.WriteNumber("allocated", round.Allocate.Completed);
        json.WriteNumber("allocationsFailed", round.Allocate.Failed);
        json.WriteNumber("allocateResent", round.Allocate.Retransmits);
        WriteNumber(json, "allocateSeconds", round.Allocate.Elapsed.TotalSeconds);
        WriteNumber(json, "serverCpuMicrosecondsPerAllocation", round.ServerCpuMicrosecondsPerAllocation);
        WriteNumber(json, "loadGeneratorMicrosecondsPerAllocation", round.LoadGeneratorMicrosecondsPerAllocation);
        WriteNumber(json, "residentBeforeBytes", round.ResidentBeforeBytes);
        WriteNumber(json, "residentHeldBytes", round.ResidentHeldBytes);
        WriteNumber(json, "memoryPerAllocationKiB", round.MemoryPerAllocationBytes / 1024);
        WriteNumber(json, "releasesPerSecond", round.ReleasesPerSecond);
        json.WriteNumber("released", round.Release.Completed);
        json.WriteNumber("releasesFailed", round.Release.Failed);
        json.WriteNumber("releaseResent", round.Release.Retransmits);
        WriteNumber(json, "releaseSeconds", round.Release.Elapsed.TotalSeconds);
        WriteNumber(json, "serverCpuMicrosecondsPerRelease", round.ServerCpuMicrosecondsPerRelease);
        WriteNumber(json, "residentAfterReleaseBytes", round.ResidentAfterReleaseBytes);
    }

    private static void WriteRound(Utf8JsonWriter json, ClosedLoopResult round)
    {
        WriteNumber(json, "roundTripsPerSecond", round.RoundTripsPerSecond);
        json.WriteNumber("roundTrips", round.RoundTrips);
        json.WriteNumber("timedOut", round.Lost);
        json.WriteNumber("late", round.Totals.Late);
        json.WriteNumber("errors", round.Errors);
        WriteNumber(json, "measuredSeconds", round.Measured.TotalSeconds);
        WriteNumber(json, "serverCores", round.ServerCores);
        WriteNumber(json, "serverCpuMicrosecondsPerRelayedPacket", round.ServerCpuMicrosecondsPerRelayed);
        WriteNumber(json, "loadGeneratorCores", round.LoadGeneratorCores);
        WriteNumber(json, "allocatedBytesPerRoundTrip", round.AllocatedBytesPerRoundTrip);
        WriteNumber(json, "setupMilliseconds", round.SetupTime.TotalMilliseconds);
        WriteLatency(json, round.Latency);
        json.WriteStartArray("busiestThreadsCores");
        foreach (double cores in round.BusiestThreadCores)
        {
            json.WriteNumberValue(Math.Round(cores, 3));
        }

        json.WriteEndArray();
    }

    private static void WriteLatency(Utf8JsonWriter json, LatencyHistogram latency)
    {
        json.WriteStartObject("roundTripMicroseconds");
        json.WriteNumber("count", latency.Count);
        WriteNumber(json, "p50", latency.PercentileMicroseconds(0.5));
        WriteNumber(json, "p90", latency.PercentileMicroseconds(0.9));
        WriteNumber(json, "p99", latency.PercentileMicroseconds(0.99));
        WriteNumber(json, "p999", latency.PercentileMicroseconds(0.999));
        WriteNumber(json, "max", latency.Count == 0 ? null : latency.MaxNanoseconds / 1000.0);
        json.WriteEndObject();
    }
}
