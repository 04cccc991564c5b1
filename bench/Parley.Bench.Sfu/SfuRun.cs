using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>
/// One server's measurement: start it, connect the publishers, then the fixed load's subscribers (spread evenly over
/// the publishers), check that media flows, measure rounds, then (the ramp) add subscribers step by step until loss
/// exceeds 1 %. Peers are connected eight at a time, each on a thread of its own (the DTLS engine blocks).
/// </summary>
internal sealed class SfuRun(ISfuTarget target, Options options, BenchNetwork network, PeerCertificate certificate)
{
    private const int ConnectParallelism = 8;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    private readonly List<Publication> _publications = [];
    private readonly List<VideoPublisher> _publishers = [];
    private readonly List<VideoSubscriber> _subscribers = [];
    private readonly List<LoadPeer> _peers = [];
    private LoadThread[] _threads = [];

    public async Task<ServerResult> RunAsync(CancellationToken cancellationToken)
    {
        var result = new ServerResult(target.Name);
        _threads = [.. Enumerable.Range(0, options.Threads).Select(i => new LoadThread(i))];
        try
        {
            await target.StartAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            result.RssIdle = ProcStats.ReadResidentBytes(target.Process.Pid);
            foreach (LoadThread thread in _threads)
            {
                thread.Start();
            }

            long started = Stopwatch.GetTimestamp();
            await AddPublishersAsync(cancellationToken);
            result.PublisherSetupSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            result.SrtpProfile = _publishers[0].Peer.Profile?.ToString() ?? "none (plain RTP)";
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            result.RssWithPublishers = ProcStats.ReadResidentBytes(target.Process.Pid);

            started = Stopwatch.GetTimestamp();
            await AddSubscribersAsync(options.Subscribers, cancellationToken);
            result.SubscriberSetupSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            result.FixedSubscribers = _subscribers.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{target.Name}: {_publishers.Count} publishers in {result.PublisherSetupSeconds:0.0} s, {_subscribers.Count} subscribers in {result.SubscriberSetupSeconds:0.0} s ({result.SrtpProfile})"));
            await WaitForMediaAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // warm-up: key frames, JIT, buffers

            for (int round = 0; round < options.Common.Rounds; round++)
            {
                WindowResult window = await MeasureAsync(options.Common.Duration, $"round {round + 1} {target.Name}", cancellationToken);
                result.Rounds.Add(window);
                Console.WriteLine($"{target.Name} round {round + 1}: {Describe(window)}");
                if (window.Received == 0)
                {
                    throw new BenchmarkException($"{target.Name}: no media reached the subscribers ({window.Sent} packets sent; " +
                        $"{Sum(t => t.AuthenticationFailures)} failed SRTP authentication, {Sum(t => t.Unmarked)} unmarked)");
                }
            }

            result.RssWithSubscribers = ProcStats.ReadResidentBytes(target.Process.Pid);
            if (options.RunRamp)
            {
                await RampAsync(result, cancellationToken);
            }

            result.PeakRss = ProcStats.ReadPeakResidentBytes(target.Process.Pid);
            target.Process.EnsureRunning();
        }
        finally
        {
            foreach (LoadThread thread in _threads)
            {
                thread.Stop();
            }

            result.AuthenticationFailures = Sum(t => t.AuthenticationFailures);
            result.Unmarked = Sum(t => t.Unmarked);
            result.Duplicates = Sum(t => t.Duplicates);
            result.KeyFrameRequests = Sum(t => t.KeyFrameRequests);
            result.SkippedFrames = _publishers.Sum(p => p.SkippedFrames);
            result.SendFailures = _publishers.Sum(p => p.SendFailures);
            long packets = result.Rounds.Concat(result.Ramp).Sum(r => r.Received + r.Sent);
            result.GeneratorBytesPerPacket = packets > 0 ? (double)Sum(t => t.AllocatedBytes) / packets : double.NaN;
            if (_threads.FirstOrDefault(t => t.Failure is not null)?.Failure is { } failure)
            {
                result.Error = $"a load thread failed: {failure}";
            }

            await target.DisposeAsync();
            foreach (LoadPeer peer in _peers)
            {
                peer.Dispose();
            }

            await StopServerAsync();
        }

        return result;
    }

    private async Task RampAsync(ServerResult result, CancellationToken cancellationToken)
    {
        WindowResult fixedLoad = result.Median!;
        result.Held = fixedLoad.Loss <= 0.01 ? _subscribers.Count : null;
        if (result.Held is null)
        {
            result.RampEnd = "the fixed load already lost more than 1 %";
            return;
        }

        while (_subscribers.Count + options.RampStep <= options.RampMax)
        {
            try
            {
                await AddSubscribersAsync(options.RampStep, cancellationToken);
            }
            catch (BenchmarkException e)
            {
                result.RampEnd = $"adding subscribers failed at {_subscribers.Count}: {e.Message}";
                return;
            }

            await WaitForMediaAsync(cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            WindowResult step = await MeasureAsync(TimeSpan.FromSeconds(options.RampSeconds), $"ramp {_subscribers.Count} {target.Name}", cancellationToken);
            result.Ramp.Add(step);
            Console.WriteLine($"{target.Name} ramp: {Describe(step)}");
            if (step.LoadAchieved < WindowResult.GeneratorKeptUp)
            {
                result.RampEnd = string.Create(CultureInfo.InvariantCulture,
                    $"the load generator fell behind at {_subscribers.Count} subscribers (sent {step.LoadAchieved:P1} of the nominal rate, loss {step.Loss:P2}): the machine is short of CPU, and the held figure is a lower bound");
                result.HeldIsLowerBound = true;
                return;
            }

            if (step.Loss > 0.01 || !double.IsFinite(step.Loss))
            {
                result.RampEnd = string.Create(CultureInfo.InvariantCulture, $"loss {step.Loss:P2} at {_subscribers.Count} subscribers");
                return;
            }

            result.Held = _subscribers.Count;
        }

        result.RampEnd = $"reached --ramp-max {options.RampMax}";
    }

    internal static string Describe(WindowResult w) => string.Create(CultureInfo.InvariantCulture,
        $"{w.Subscribers} subscribers, {ReportFormat.Count(w.ForwardedPerSecond)} forwarded/s (sent {w.LoadAchieved:P1} of nominal), loss {w.Loss:P3} (kernel drops: {w.ServerDrops} at the server, {w.GeneratorDrops} at the peers), server {w.ServerCores:0.00} cores, {ReportFormat.Count(w.ForwardedPerCpuSecond)} per CPU-s, p50 {w.P50 * 1000:0.00} ms p99 {w.P99 * 1000:0.00} ms, generator {w.GeneratorCpuSeconds / w.Seconds:0.00} cores{(w.ServerBytesPerPacket is { } b ? $", server allocated {b:0.0} bytes per forwarded packet" : "")}{(w.SilentSubscribers > 0 ? $", {w.SilentSubscribers} subscribers got nothing" : "")}");

    private long Sum(Func<LoadThread, long> value) => _threads.Sum(value);

    private async Task AddPublishersAsync(CancellationToken cancellationToken)
    {
        long frameInterval = Stopwatch.Frequency / 30;
        for (int i = 0; i < options.Publishers; i++)
        {
            var peer = new LoadPeer(i, network.ClientAddress, target.Raw);
            _peers.Add(peer);
            uint ssrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
            Publication publication = await target.PublishAsync(peer, i, ssrc, cancellationToken);
            await ConnectAsync(peer, target.Registration(publisher: true, i), cancellationToken);
            _publications.Add(publication);
            var publisher = new VideoPublisher(peer, i, ssrc, publication.PayloadType, options.BitrateKbps * 1000, options.PacketSize,
                Stopwatch.GetTimestamp() + frameInterval * i / options.Publishers);
            _publishers.Add(publisher);
            _threads[i % _threads.Length].Add(publisher);
        }
    }

    private async Task AddSubscribersAsync(int count, CancellationToken cancellationToken)
    {
        int first = _subscribers.Count;
        var added = new VideoSubscriber[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                int index = first + i;
                Publication publication = _publications[index % _publications.Count];
                var peer = new LoadPeer(1000 + index, network.ClientAddress, target.Raw) { Role = target.SubscriberRole };
                lock (_peers)
                {
                    _peers.Add(peer);
                }

                await target.SubscribeAsync(peer, publication, token);
                await ConnectAsync(peer, target.Registration(publisher: false, publication.Index), token);
                added[i] = new VideoSubscriber(peer, index, publication.Index);
            });
        foreach (VideoSubscriber subscriber in added)
        {
            _subscribers.Add(subscriber);
            _threads[subscriber.Index % _threads.Length].Add(subscriber);
        }
    }

    /// <summary>Waits, up to 10 s, until every subscriber has received a packet: a server takes a while to start
    /// the newest ones (a key frame, its own queues), which is not loss.</summary>
    private async Task WaitForMediaAsync(CancellationToken cancellationToken)
    {
        for (int i = 0; i < 100 && _subscribers.Any(s => s.Received == 0); i++)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Ends the server before the next one starts (same ports, and no idle server taking CPU); the
    /// registry would only kill it at the end of the whole run.</summary>
    private async Task StopServerAsync()
    {
        ServerProcess process;
        try
        {
            process = target.Process;
        }
        catch (InvalidOperationException)
        {
            return; // never started
        }

        process.Kill();
        for (int i = 0; i < 100 && !process.HasExited; i++)
        {
            await Task.Delay(50);
        }
    }

    private static Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        long remaining = timestamp - Stopwatch.GetTimestamp();
        return remaining > 0 ? Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), cancellationToken) : Task.CompletedTask;
    }

    private Task ConnectAsync(LoadPeer peer, byte[] registration, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => peer.Connect(registration, certificate, ConnectTimeout), cancellationToken,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private async Task<WindowResult> MeasureAsync(TimeSpan duration, string run, CancellationToken cancellationToken)
    {
        long from = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        long until = from + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var window = new MeasurementWindow(from, until, _publishers.Count, _subscribers.Count, _threads.Length);
        foreach (LoadThread thread in _threads)
        {
            thread.SetWindow(window);
        }

        await DelayUntilAsync(from, cancellationToken);
        HashSet<int> peerPorts = [.. _peers.Select(p => p.LocalEndPoint.Port)];
        string serverUdp = $"/proc/{target.Process.Pid}/net/udp";
        long generatorDropsBefore = UdpDrops.Read("/proc/net/udp", peerPorts.Contains);
        long serverDropsBefore = UdpDrops.Read(serverUdp, _ => true);
        CpuSnapshot first = CpuSnapshot.Take([target.Process]);
        long? allocatedBefore = await target.AllocatedBytesAsync(cancellationToken);
        await DelayUntilAsync(until, cancellationToken);
        CpuSnapshot last = CpuSnapshot.Take([target.Process]);
        long? allocatedAfter = await target.AllocatedBytesAsync(cancellationToken);
        await Task.Delay(Grace, cancellationToken);
        long generatorDrops = UdpDrops.Read("/proc/net/udp", peerPorts.Contains) - generatorDropsBefore;
        long serverDrops = network.Namespace is null ? 0 : UdpDrops.Read(serverUdp, _ => true) - serverDropsBefore;
        foreach (LoadThread thread in _threads)
        {
            thread.SetWindow(null);
        }

        target.Process.EnsureRunning();
        var interval = new CpuInterval(first, last);
        long expected = 0, received = 0;
        int silent = 0;
        for (int s = 0; s < window.ReceivedBySubscriber.Length; s++)
        {
            expected += window.SentByPublisher[_subscribers[s].Publisher];
            received += window.ReceivedBySubscriber[s];
            silent += window.ReceivedBySubscriber[s] == 0 ? 1 : 0;
        }

        var latency = new LatencyHistogram();
        foreach (LatencyHistogram histogram in window.Latency)
        {
            latency.Merge(histogram);
        }

        return new WindowResult(window.ReceivedBySubscriber.Length, duration.TotalSeconds, window.SentByPublisher.Sum(), expected, received, silent,
            interval.ServerCpu(0).TotalSeconds, interval.OwnCpu.TotalSeconds, latency.Quantile(0.5), latency.Quantile(0.99),
            latency.Quantile(0.999), interval.ToMachineLoad(run), allocatedAfter - allocatedBefore,
            _publishers.Sum(p => p.PacketsPerSecond) * duration.TotalSeconds, generatorDrops, serverDrops);
    }
}
