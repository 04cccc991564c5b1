using System.Diagnostics;
using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>
/// One closed-loop round: fresh allocations for every client, channels (or permissions) to the echo peer, then each
/// client keeps its window of packets in flight for the warm-up and the measured interval; the round trips, the
/// server's CPU and its busiest threads are read at both ends of the measured interval. The allocations are released
/// at the end.
/// </summary>
internal static class ClosedLoop
{
    public static async Task<ClosedLoopResult> RunAsync(ServerUnderTest server, LoadSettings settings,
        CancellationToken cancellationToken)
    {
        using var peer = new EchoPeer(settings.EffectivePeerThreads);
        (RelayClient[] relays, TimeSpan setupTime) = await Allocations.SetUpAsync(server, peer, settings, cancellationToken);
        ClosedLoopClient[] clients = [.. relays.Select(r => new ClosedLoopClient(r, settings.Window, settings.PacketTimeout))];
        int threadCount = settings.EffectiveClientThreads;
        var recording = new RecordingFlag();
        ClosedLoopDriver[] drivers = [.. Enumerable.Range(0, threadCount).Select(t =>
            new ClosedLoopDriver([.. clients.Where((_, i) => i % threadCount == t)], recording))];
        using var stop = new CancellationTokenSource();
        var threads = new List<Task>();
        bool released = false;
        try
        {
            peer.Start([.. relays.Select(r => r.RelayedAddress)]);
            for (int t = 0; t < threadCount; t++)
            {
                ClosedLoopDriver driver = drivers[t];
                threads.Add(DedicatedThread.Start($"closed loop {t}", () => driver.Run(stop.Token)));
            }

            await Task.Delay(settings.Warmup, cancellationToken);
            CounterSnapshot before = CounterSnapshot.Sum(clients.Select(c => c.Counters));
            TimeSpan serverCpuBefore = server.Process.CpuTime;
            TimeSpan ownCpuBefore = Environment.CpuUsage.TotalTime;
            Dictionary<int, TimeSpan> threadsBefore = ProcStats.ReadThreadCpu(server.Process.Pid);
            long start = Stopwatch.GetTimestamp();
            recording.Set(true);

            await Task.Delay(settings.Duration, cancellationToken);
            recording.Set(false);
            CounterSnapshot after = CounterSnapshot.Sum(clients.Select(c => c.Counters));
            TimeSpan serverCpuAfter = server.Process.CpuTime;
            TimeSpan ownCpuAfter = Environment.CpuUsage.TotalTime;
            Dictionary<int, TimeSpan> threadsAfter = ProcStats.ReadThreadCpu(server.Process.Pid);
            TimeSpan measured = Stopwatch.GetElapsedTime(start);

            await stop.CancelAsync();
            await Task.WhenAll(threads);
            await peer.StopAsync();
            // The peer's faults count; its echoes are not sends of the clients.
            CounterSnapshot totals = CounterSnapshot.Sum(clients.Select(c => c.Counters))
                + (CounterSnapshot.Sum(peer.Counters) with { Sent = 0 });
            var latency = new LatencyHistogram();
            foreach (ClosedLoopDriver driver in drivers)
            {
                latency.Add(driver.Latency);
            }

            long allocated = drivers.Sum(d => d.AllocatedBytes) + peer.AllocatedBytes;
            ReleaseOutcome release = await Allocations.ReleaseAsync(relays, cancellationToken);
            released = true;
            return new ClosedLoopResult(after.Answered - before.Answered, after.Lost - before.Lost, totals, measured,
                serverCpuAfter - serverCpuBefore, ownCpuAfter - ownCpuBefore,
                ProcStats.BusiestThreads(threadsBefore, threadsAfter, measured, count: 4), latency, allocated,
                setupTime, release);
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
