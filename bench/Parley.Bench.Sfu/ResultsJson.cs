using System.Text.Json;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>bench/results/sfu-latest.json: the settings, every server's rounds and ramp steps, and the ratios.</summary>
internal static class ResultsJson
{
    public static void Write(string path, DateTimeOffset started, Options options, BenchNetwork network, IReadOnlyList<ServerResult> results) =>
        JsonResults.Write(path, "sfu", started, json =>
        {
            JsonResults.WriteMachine(json, network.Namespace is null ? "loopback" : "servers in a network namespace over veth");
            json.WriteStartObject("settings");
            json.WriteNumber("publishers", options.Publishers);
            json.WriteNumber("subscribers", options.Subscribers);
            json.WriteNumber("bitrateKbps", options.BitrateKbps);
            json.WriteNumber("packetSize", options.PacketSize);
            json.WriteNumber("threads", options.Threads);
            json.WriteNumber("durationSeconds", options.Common.Duration.TotalSeconds);
            json.WriteNumber("rounds", options.Common.Rounds);
            json.WriteBoolean("ramp", options.RunRamp);
            json.WriteNumber("rampStep", options.RampStep);
            json.WriteEndObject();
            JsonResults.WriteArray(json, "servers", results, (json, r) =>
            {
                json.WriteString("name", r.Name);
                if (r.Error is not null)
                {
                    json.WriteString("error", r.Error);
                }

                json.WriteString("srtpProfile", r.SrtpProfile);
                JsonResults.WriteNumber(json, "rssIdleBytes", r.RssIdle);
                JsonResults.WriteNumber(json, "rssWithPublishersBytes", r.RssWithPublishers);
                JsonResults.WriteNumber(json, "rssWithSubscribersBytes", r.RssWithSubscribers);
                JsonResults.WriteNumber(json, "peakRssBytes", r.PeakRss);
                JsonResults.WriteNumber(json, "memoryPerSubscriberBytes", r.MemoryPerSubscriber);
                JsonResults.WriteNumber(json, "subscribersHeld", r.Held);
                json.WriteString("rampEnd", r.RampEnd);
                json.WriteBoolean("heldIsLowerBound", r.HeldIsLowerBound);
                JsonResults.WriteNumber(json, "publisherSetupSeconds", r.PublisherSetupSeconds);
                JsonResults.WriteNumber(json, "subscriberSetupSeconds", r.SubscriberSetupSeconds);
                json.WriteNumber("srtpFailures", r.AuthenticationFailures);
                json.WriteNumber("unmarked", r.Unmarked);
                json.WriteNumber("duplicates", r.Duplicates);
                json.WriteNumber("skippedFrames", r.SkippedFrames);
                JsonResults.WriteNumber(json, "generatorBytesPerPacket", r.GeneratorBytesPerPacket);
                WriteWindows(json, "rounds", r.Rounds);
                WriteWindows(json, "ramp", r.Ramp);
            });
            ServerResult? parley = results.FirstOrDefault(r => r.Name == "parley" && r.Median is not null);
            json.WriteStartObject("ratios");
            foreach (ServerResult other in results.Where(r => r.Name != "parley" && r.Median is not null))
            {
                if (parley is null)
                {
                    break;
                }

                json.WriteStartObject($"parleyOver{char.ToUpperInvariant(other.Name[0])}{other.Name[1..]}");
                JsonResults.WriteNumber(json, "forwardedPerCpuSecond", parley.Median!.ForwardedPerCpuSecond / other.Median!.ForwardedPerCpuSecond);
                JsonResults.WriteNumber(json, "forwardedPerSecond", parley.Median.ForwardedPerSecond / other.Median.ForwardedPerSecond);
                JsonResults.WriteNumber(json, "p99", parley.Median.P99 / other.Median.P99);
                JsonResults.WriteNumber(json, "memoryPerSubscriber", parley.MemoryPerSubscriber / other.MemoryPerSubscriber);
                JsonResults.WriteNumber(json, "subscribersHeld", parley.HeldIsLowerBound || other.HeldIsLowerBound ? null : (double?)parley.Held / other.Held);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            MachineLoad.WriteJson(json, [.. results.SelectMany(r => r.Rounds.Concat(r.Ramp)).Select(w => w.Load)]);
        });

    private static void WriteWindows(Utf8JsonWriter json, string name, IEnumerable<WindowResult> windows) =>
        JsonResults.WriteArray(json, name, windows, (json, w) =>
        {
            json.WriteNumber("subscribers", w.Subscribers);
            json.WriteNumber("seconds", w.Seconds);
            json.WriteNumber("sent", w.Sent);
            json.WriteNumber("expected", w.Expected);
            json.WriteNumber("received", w.Received);
            JsonResults.WriteNumber(json, "loss", w.Loss);
            json.WriteNumber("silentSubscribers", w.SilentSubscribers);
            JsonResults.WriteNumber(json, "loadAchieved", w.LoadAchieved);
            json.WriteNumber("serverKernelDrops", w.ServerDrops);
            json.WriteNumber("peerKernelDrops", w.GeneratorDrops);
            JsonResults.WriteNumber(json, "forwardedPerSecond", w.ForwardedPerSecond);
            JsonResults.WriteNumber(json, "serverCpuSeconds", w.ServerCpuSeconds);
            JsonResults.WriteNumber(json, "forwardedPerCpuSecond", w.ForwardedPerCpuSecond);
            JsonResults.WriteNumber(json, "generatorCpuSeconds", w.GeneratorCpuSeconds);
            JsonResults.WriteNumber(json, "p50Ms", w.P50 * 1000);
            JsonResults.WriteNumber(json, "p99Ms", w.P99 * 1000);
            JsonResults.WriteNumber(json, "p999Ms", w.P999 * 1000);
            JsonResults.WriteNumber(json, "serverAllocatedBytes", w.ServerAllocatedBytes);
            JsonResults.WriteNumber(json, "serverBytesPerPacket", w.ServerBytesPerPacket);
        });
}
