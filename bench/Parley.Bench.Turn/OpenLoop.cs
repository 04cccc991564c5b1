using System.Diagnostics;

namespace Parley.Bench.Turn;

/// <summary>
/// The open-loop run: fresh allocations as in the closed loop, then packets at a fixed total rate, whatever comes
/// back, spread evenly over the clients, for the warm-up and the measured interval, and a grace period (the packet
/// timeout) for the last replies. Latency is recorded for packets sent after the warm-up; loss counts them all.
/// </summary>
internal static class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(ServerUnderTest server, double roundTripsPerSecond,
        LoadSettings settings, CancellationToken cancellationToken)
    {
        TimeSpan sendFor = settings.Warmup + settings.Duration;
        int capacity = (int)Math.Min(int.MaxValue / 2,
            (roundTripsPerSecond / settings.Clients * sendFor.TotalSeconds * 1.05) + 1024);
        using var peer = new EchoPeer(settings.EffectivePeerThreads);
        (RelayClient[] relays, TimeSpan setupTime) = await Allocations.SetUpAsync(server, peer, settings, cancellationToken);
        OpenLoopClient[] clients = [.. relays.Select(r => new OpenLoopClient(r, capacity))];
        int threadCount = settings.EffectiveClientThreads;
        OpenLoopDriver[] drivers = [.. Enumerable.Range(0, threadCount).Select(t =>
        {
            OpenLoopClient[] mine = [.. clients.Where((_, i) => i % threadCount == t)];
            return new OpenLoopDriver(mine, roundTripsPerSecond * mine.Length / clients.Length);
        })];
        using var stop = new CancellationTokenSource();
        var threads = new List<Task>();
        bool released = false;
        try
        {
            peer.Start([.. relays.Select(r => r.RelayedAddress)]);
            KernelDrops DropsNow() => KernelDrops.Read(server.EndPoint.Port, relays.Select(r => (int)r.RelayedAddress.Port),
                peer.Ports, relays.Select(r => (int)r.Session.LocalAddress.Port));
            KernelDrops dropsBefore = DropsNow();
            TimeSpan cpuBefore = server.Process.CpuTime;

            long start = Stopwatch.GetTimestamp();
            long recordFrom = start + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
            long sendEnd = start + (long)(sendFor.TotalSeconds * Stopwatch.Frequency);
            long receiveEnd = sendEnd + (long)(settings.PacketTimeout.TotalSeconds * Stopwatch.Frequency);
            for (int t = 0; t < threadCount; t++)
            {
                OpenLoopDriver driver = drivers[t];
                threads.Add(DedicatedThread.Start($"open loop {t}",
                    () => driver.Run(start, recordFrom, sendEnd, receiveEnd, stop.Token)));
            }

            await Task.WhenAll(drivers.Select(d => d.SendingDone)).WaitAsync(cancellationToken);
            TimeSpan sending = Stopwatch.GetElapsedTime(start);
            TimeSpan cpuAfter = server.Process.CpuTime;
            await Task.WhenAll(threads).WaitAsync(cancellationToken);
            await peer.StopAsync();
            KernelDrops drops = DropsNow() - dropsBefore;

            CounterSnapshot totals = CounterSnapshot.Sum(clients.Select(c => c.Counters))
                + (CounterSnapshot.Sum(peer.Counters) with { Sent = 0 });
            var latency = new LatencyHistogram();
            foreach (OpenLoopDriver driver in drivers)
            {
                latency.Add(driver.Latency);
            }

            long allocated = drivers.Sum(d => d.AllocatedBytes) + peer.AllocatedBytes;
            ReleaseOutcome release = await Allocations.ReleaseAsync(relays, cancellationToken);
            released = true;
            long echoed = peer.Counters.Sum(c => c.Sent);
            return new OpenLoopResult(roundTripsPerSecond, totals, drivers.Sum(d => d.Skipped), echoed, latency, drops,
                cpuAfter - cpuBefore, sending, allocated, setupTime, release);
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(threads);
                await peer.StopAsync();
            }
            finally
            {
                if (!released)
                {
                    foreach (RelayClient relay in relays)
                    {
                        relay.Dispose();
                    }
                }
            }
        }
    }
}
