using System.Globalization;
using System.Text;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>The printed report: the table, the details per server, the ratios and the issue's goals.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Header(Options options, BenchNetwork network)
    {
        int packets = Math.Max(1, (int)Math.Round(options.BitrateKbps * 1000 / 8 / options.PacketSize / 30)) * 30;
        return string.Create(Invariant,
            $"SFU forwarding: {options.Publishers} publishers x {options.Subscribers} subscribers of synthetic VP8 at {options.BitrateKbps:0} kbit/s ({packets} packets/s of {options.PacketSize} bytes each), {options.Common.Duration.TotalSeconds:0} s x {options.Common.Rounds} rounds per server{(options.RunRamp ? $", then a ramp of +{options.RampStep} subscribers per {options.RampSeconds:0} s step up to 1 % loss" : "")}; servers at {network.ServerAddress}{(network.Namespace is null ? "" : $" in network namespace {network.Namespace} (veth)")}, load peers at {network.ClientAddress} on {options.Threads} threads; {Environment.ProcessorCount} cores shared");
    }

    public static string Format(Options options, IReadOnlyList<ServerResult> results)
    {
        var text = new StringBuilder();
        var rows = new List<string[]>
        {
            new[] { "server", "forwarded/s", "loss", "server CPU", "fwd/CPU-s", "p50", "p99", "RSS idle", "RSS loaded", "mem/subscriber", "held <=1% loss" },
        };
        foreach (ServerResult r in results)
        {
            WindowResult? m = r.Median;
            rows.Add(
            [
                r.Name,
                m is null ? "-" : ReportFormat.Count(m.ForwardedPerSecond),
                m is null ? "-" : m.Loss.ToString("P3", Invariant),
                m is null ? "-" : $"{m.ServerCores.ToString("0.00", Invariant)} cores",
                m is null ? "-" : ReportFormat.Count(m.ForwardedPerCpuSecond),
                m is null ? "-" : Ms(m.P50),
                m is null ? "-" : Ms(m.P99),
                ReportFormat.Size(r.RssIdle),
                ReportFormat.Size(r.RssWithSubscribers),
                r.MemoryPerSubscriber is { } mem ? $"{(mem / 1024).ToString("0.0", Invariant)} KiB" : "-",
                r.Held is { } held ? (r.HeldIsLowerBound ? ">= " : "") + held.ToString(Invariant) : "-",
            ]);
        }

        TextTable.Append(text, rows);
        text.AppendLine();
        foreach (ServerResult r in results)
        {
            if (r.Error is not null)
            {
                text.AppendLine(Invariant, $"{r.Name}: FAILED: {r.Error}");
                continue;
            }

            text.AppendLine(Invariant,
                $"{r.Name}: rounds (fwd/CPU-s) {string.Join(' ', r.Rounds.Select(w => ReportFormat.Count(w.ForwardedPerCpuSecond)))}; generator sent {(r.Median is { } med ? med.LoadAchieved.ToString("P1", Invariant) : "-")} of the nominal rate; SRTP {r.SrtpProfile}; set-up {r.PublisherSetupSeconds:0.0} s + {r.SubscriberSetupSeconds:0.0} s; p99.9 {(r.Median is { } m ? Ms(m.P999) : "-")}; SRTP failures {r.AuthenticationFailures}, unmarked {r.Unmarked}, duplicates {r.Duplicates}, key frame requests {r.KeyFrameRequests}, frames skipped by the generator {r.SkippedFrames}, send failures {r.SendFailures}; generator {r.GeneratorBytesPerPacket:0.00} bytes allocated per packet; RSS with publishers only {ReportFormat.Size(r.RssWithPublishers)}, peak {ReportFormat.Size(r.PeakRss)}");
            if (r.Ramp.Count > 0 || r.RampEnd is not null)
            {
                text.AppendLine(Invariant, $"{r.Name} ramp (subscribers, loss, p99, server cores, fwd/CPU-s, kernel drops server/peers): {string.Join("; ", r.Ramp.Select(w => string.Create(Invariant, $"{w.Subscribers} {w.Loss:P2} {Ms(w.P99)} {w.ServerCores:0.00}c {ReportFormat.Count(w.ForwardedPerCpuSecond)} drops {w.ServerDrops}/{w.GeneratorDrops}")))}; ended: {r.RampEnd}");
            }
        }

        string? load = MachineLoad.Summarize([.. results.SelectMany(r => r.Rounds.Concat(r.Ramp)).Select(w => w.Load)]);
        if (load is not null)
        {
            text.AppendLine(load);
        }

        ServerResult? parley = results.FirstOrDefault(r => r.Name == "parley" && r.Median is not null);
        ServerResult? janus = results.FirstOrDefault(r => r.Name == "janus" && r.Median is not null);
        ServerResult? raw = results.FirstOrDefault(r => r.Name == "raw" && r.Median is not null);
        text.AppendLine();
        foreach ((string name, ServerResult? other) in new[] { ("janus", janus), ("raw", raw) })
        {
            if (parley is null || other is null)
            {
                continue;
            }

            text.AppendLine(Invariant, $"ratio parley/{name}: {ReportFormat.Ratio(parley.Median!.ForwardedPerCpuSecond, other.Median!.ForwardedPerCpuSecond)} forwarded packets per CPU-second");
            text.AppendLine(Invariant, $"ratio parley/{name}: {ReportFormat.Ratio(parley.Median.ForwardedPerSecond, other.Median.ForwardedPerSecond)} forwarded packets per second at the same load");
            text.AppendLine(Invariant, $"ratio parley/{name}: {ReportFormat.Ratio(parley.Median.P99, other.Median.P99)} p99 latency (lower is better)");
            if (name == "raw")
            {
                text.AppendLine(Invariant, $"latency parley adds over the raw relay: p50 {Ms(parley.Median.P50 - other.Median.P50)}, p99 {Ms(parley.Median.P99 - other.Median.P99)}");
            }

            text.AppendLine(Invariant, $"ratio parley/{name}: {ReportFormat.Ratio(parley.MemoryPerSubscriber, other.MemoryPerSubscriber)} memory per subscriber (lower is better)");
            if (parley.Held is not null && other.Held is not null && !parley.HeldIsLowerBound && !other.HeldIsLowerBound)
            {
                text.AppendLine(Invariant, $"ratio parley/{name}: {ReportFormat.Ratio(parley.Held, other.Held)} subscribers held at <= 1 % loss");
            }
        }

        if (parley?.Median is { } p)
        {
            double perSubscriber = Math.Max(1, (int)Math.Round(options.BitrateKbps * 1000 / 8 / options.PacketSize / 30)) * 30.0;
            text.AppendLine();
            text.AppendLine("issue 4's goals (Parley):");
            text.AppendLine(Invariant, $"  >= 60,000 forwarded SRTP packets per CPU-second: {ReportFormat.Count(p.ForwardedPerCpuSecond)}");
            text.AppendLine(Invariant, $"  >= 500 {options.BitrateKbps:0} kbit/s consumers per core (from CPU per packet): {p.ForwardedPerCpuSecond / perSubscriber:0}; held by the ramp: {(parley.Held is { } h ? (parley.HeldIsLowerBound ? ">= " : "") + h.ToString(Invariant) : "-")} on {(parley.Rounds.Concat(parley.Ramp).LastOrDefault(w => w.Subscribers == parley.Held) ?? p).ServerCores:0.00} cores");
            if (janus?.Median is { } j)
            {
                text.AppendLine(Invariant, $"  >= 1.5x Janus's forwarded packets per CPU-second: {ReportFormat.Ratio(p.ForwardedPerCpuSecond, j.ForwardedPerCpuSecond)}");
            }

            if (raw?.Median is { } rr)
            {
                text.AppendLine(Invariant, $"  >= 50 % of the raw relay's packets per CPU-second: {p.ForwardedPerCpuSecond / rr.ForwardedPerCpuSecond:P0}{(parley.Held is { } ph && raw.Held is { } rh && !parley.HeldIsLowerBound && !raw.HeldIsLowerBound ? string.Create(Invariant, $"; subscribers held {(double)ph / rh:P0}") : "")}");
            }

            WindowResult half = HalfLoad(parley) ?? p;
            text.AppendLine(Invariant, $"  p99 latency < 2 ms at half the maximum load: {Ms(half.P99)} at {half.Subscribers} subscribers{(parley.Held is null ? " (the fixed load; no ramp)" : "")}");
            text.AppendLine(p.ServerBytesPerPacket is { } bytes
                ? string.Create(Invariant, $"  zero allocations per forwarded packet: {bytes:0.00} bytes allocated by the whole process per forwarded packet (parley_dotnet_allocated_bytes_total)")
                : "  zero allocations per forwarded packet: not measured (this Parley build has no parley_dotnet_allocated_bytes_total in /metrics)");
        }

        return text.ToString();
    }

    /// <summary>The measurement closest to half the subscribers the ramp held.</summary>
    public static WindowResult? HalfLoad(ServerResult result) => result.Held is { } held
        ? result.Rounds.Concat(result.Ramp).MinBy(w => Math.Abs(w.Subscribers - held / 2.0))
        : null;

    private static string Ms(double seconds) => double.IsFinite(seconds) ? (seconds * 1000).ToString("0.00", Invariant) + " ms" : "-";
}
