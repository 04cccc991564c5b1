using System.Globalization;
using System.Security.Cryptography;
using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>
/// Starts coturn and Parley as TURN servers on 127.0.0.1, drives both with the same clients and echo peer, and
/// reports relayed round trips per second, latency and loss at a common rate, CPU per relayed packet and memory side
/// by side; then allocations (and releases) per second and the memory each allocation held costs. A server that cannot be set up (Parley without its TURN server, say) is reported as failed, and the run
/// goes on with the others. See bench/README.md.
/// </summary>
internal static class Program
{
    private const string Realm = "parley.local";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    /// <summary>The length of the unmeasured round each server gets first (see <see cref="WarmUpAsync"/>).</summary>
    private static readonly TimeSpan WarmupRound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The open-loop rate, as a share of coturn's closed-loop median, unless --rate. The closed loop fills the
    /// machine's cores, shared by the servers and the load generator. On the project's 2-core machine, against
    /// coturn's 108,000 closed-loop round trips/s, its latency stayed flat at 40% (p50 87 us, p99 0.45 ms) and 60%
    /// (p50 0.14 ms, p99 1.7 ms); at 80% the load threads fell behind the schedule, the echo peer's socket overflowed
    /// (3% loss) and p90 reached 35 ms. Half compares the servers' own latency under a substantial load rather than
    /// a saturated machine's queues.
    /// </summary>
    private const double OpenLoopShare = 0.5;

    // Server logs, coturn's pid file and database go to the scratch directory: kept when something went wrong.
    public static Task<int> Main(string[] args) => BenchmarkHost.RunAsync<Options>(args, "parley-bench-turn-", RunAsync);

    private static async Task<int> RunAsync(Options options, ServerRegistry registry, string scratch,
        CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.Now;
        string root = RepositoryRoot.Find();
        LoadSettings load = options.Load;
        string secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        var coturn = new Contender(new ServerResult("coturn"));
        var contenders = new List<Contender> { coturn };
        Contender? second = null;
        ServerLaunch? secondLaunch = null;
        if (!options.CoturnOnly)
        {
            second = new Contender(new ServerResult(options.Control ? "control" : "parley"));
            contenders.Add(second);
            if (!options.Control)
            {
                try
                {
                    secondLaunch = await ParleyCommand.PrepareAsync(options, root, scratch, cancellationToken);
                }
                catch (BenchmarkException e)
                {
                    second.Fail("build", e.Message);
                }
            }
        }

        AllocationSettings allocations = options.Allocations;
        int relayPortCount = Math.Max(Math.Max(256, load.Clients * 4), allocations.RelayPortsNeeded);
        ServerSettings coturnSettings, secondSettings;
        using (var ports = new PortChooser())
        {
            coturnSettings = new ServerSettings(ports.Udp(), 0, ports.RelayRange(relayPortCount), secret, Realm, scratch);
            secondSettings = new ServerSettings(ports.Udp(), ports.Tcp(), ports.RelayRange(relayPortCount), secret,
                Realm, scratch);
        }

        await StartAsync(coturn, CoturnCommand.Launch(coturnSettings, coturn.Name), coturnSettings, registry,
            cancellationToken);
        if (second is not null && !second.Result.Failed)
        {
            ServerLaunch launch = options.Control
                ? CoturnCommand.Launch(secondSettings, second.Name)
                : ParleyCommand.Expand(secondLaunch!, secondSettings);
            await StartAsync(second, launch, secondSettings, registry, cancellationToken);
        }

        await Task.Delay(Settle, cancellationToken);
        foreach (Contender contender in contenders.Where(c => c.IsActive))
        {
            contender.Result.ResidentIdleBytes = ProcStats.ReadResidentBytes(contender.Server!.Process.Pid);
        }

        var machineLoad = new List<MachineLoad>();
        int rounds = options.Common.Rounds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"closed loop: {load.Clients} clients x {load.Window} in flight, {load.ModeDescription}, {load.PayloadSize}-byte payloads, {load.EffectiveClientThreads} client thread(s) + {load.EffectivePeerThreads} echo thread(s), {load.Duration.TotalSeconds:0.#} s after {load.Warmup.TotalSeconds:0.#} s warm-up, {rounds} round(s) per server, alternating"));
        await WarmUpAsync(contenders, load, cancellationToken);
        await RunClosedLoopsAsync(contenders, load, rounds, machineLoad, cancellationToken);

        double? openLoopRate = options.Rate
            ?? (coturn.Result.Rounds.Count > 0 ? OpenLoopShare * coturn.Result.MedianRoundTripsPerSecond : null);
        string rateSource = options.Rate is not null ? "--rate"
            : string.Create(CultureInfo.InvariantCulture, $"{OpenLoopShare * 100:0}% of coturn's closed-loop median");
        if (openLoopRate is { } rate)
        {
            await RunOpenLoopsAsync(contenders, load, rate, rateSource, machineLoad, cancellationToken);
        }

        foreach (Contender contender in contenders.Where(c => c.IsActive))
        {
            int pid = contender.Server!.Process.Pid;
            contender.Result.ResidentAfterBytes = ProcStats.ReadResidentBytes(pid);
            contender.Result.PeakResidentBytes = ProcStats.ReadPeakResidentBytes(pid);
            contender.Result.Threads = ProcStats.ReadThreadCount(pid);
        }

        if (allocations.Enabled)
        {
            await RunAllocationPhaseAsync(contenders, allocations, rounds, machineLoad, cancellationToken);
        }

        var info = new RunInfo(load, rounds, allocations, openLoopRate, rateSource, machineLoad,
            await ChildCommand.QueryAsync(CoturnCommand.Executable, ["--version"], root, cancellationToken),
            second?.Name == "parley" ? await GitRevision.DescribeAsync(root, cancellationToken) : "",
            started);
        ServerResult[] results = [.. contenders.Select(c => c.Result)];
        Console.WriteLine();
        Console.Write(Report.Format(info, results));

        string? output = options.Common.Output is { } given ? Path.GetFullPath(given)
            : !options.Common.Short && second?.Name == "parley" ? Path.Combine(root, "bench", "results", "turn-latest.json")
            : null;
        if (output is not null)
        {
            ResultsJson.Write(output, info, results);
            Console.WriteLine();
            Console.WriteLine($"written: {output}");
        }

        return Verdict(results);
    }

    /// <summary>
    /// One unmeasured closed-loop round per server, so that neither the load generator's nor Parley's JIT tiering,
    /// nor a first allocation's costs, fall into a measured round; its packets are checked all the same.
    /// </summary>
    private static async Task WarmUpAsync(List<Contender> contenders, LoadSettings load,
        CancellationToken cancellationToken)
    {
        foreach (Contender contender in contenders.Where(c => c.IsActive).ToList())
        {
            ClosedLoopResult? run = await MeasureAsync(contenders, contender, "warm-up round", null,
                () => ClosedLoop.RunAsync(contender.Server!, load with { Duration = WarmupRound }, cancellationToken));
            if (run is not null)
            {
                contender.Result.WarmupRound = run;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  warm-up {contender.Name,-7} {run.RoundTripsPerSecond,9:N0} round trips/s  errors {run.Errors}  (not counted)"));
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }

    /// <summary>The measured closed-loop rounds, alternating between the servers.</summary>
    private static async Task RunClosedLoopsAsync(List<Contender> contenders, LoadSettings load, int rounds,
        List<MachineLoad> machineLoad, CancellationToken cancellationToken)
    {
        for (int round = 1; round <= rounds; round++)
        {
            foreach (Contender contender in contenders.Where(c => c.IsActive).ToList())
            {
                ClosedLoopResult? run = await MeasureAsync(contenders, contender, $"closed loop {round}", machineLoad,
                    () => ClosedLoop.RunAsync(contender.Server!, load, cancellationToken));
                if (run is not null)
                {
                    contender.Result.Rounds.Add(run);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  round {round} {contender.Name,-7} {run.RoundTripsPerSecond,9:N0} round trips/s  errors {run.Errors}  timeouts {run.Lost}  server CPU {run.ServerCores:0.00} cores, {run.ServerCpuMicrosecondsPerRelayed:0.00} us/relayed  client CPU {run.LoadGeneratorCores:0.00} cores, {run.LoadGeneratorMicrosecondsPerRoundTrip:0.0} us/RT  RTT p50 {Latency.Format(run.Latency.PercentileMicroseconds(0.5))}  set-up {run.SetupTime.TotalMilliseconds:0} ms"));
                }

                await Task.Delay(Pause, cancellationToken);
            }
        }
    }

    /// <summary>The open-loop run of each server, at the same rate.</summary>
    private static async Task RunOpenLoopsAsync(List<Contender> contenders, LoadSettings load, double rate,
        string rateSource, List<MachineLoad> machineLoad, CancellationToken cancellationToken)
    {
        if (!contenders.Any(c => c.IsActive))
        {
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"open loop: {rate:N0} round trips/s ({rateSource}) for {load.Duration.TotalSeconds:0.#} s after {load.Warmup.TotalSeconds:0.#} s warm-up"));
        foreach (Contender contender in contenders.Where(c => c.IsActive).ToList())
        {
            OpenLoopResult? run = await MeasureAsync(contenders, contender, "open loop", machineLoad,
                () => OpenLoop.RunAsync(contender.Server!, rate, load, cancellationToken));
            if (run is not null)
            {
                contender.Result.OpenLoop = run;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {contender.Name,-7} sent {run.Sent:N0} ({run.SentPerSecond:N0}/s), answered {run.Answered:N0}, loss {run.LossPercent:0.000}%, RTT p50 {Latency.Format(run.Latency.PercentileMicroseconds(0.5))} p99 {Latency.Format(run.Latency.PercentileMicroseconds(0.99))}, errors {run.Errors}"));
            }

            await Task.Delay(Pause, cancellationToken);
        }
    }

    /// <summary>
    /// The allocation phase's rounds, alternating between the servers: allocations as fast as each server answers,
    /// held while its RSS is read, then released. After the load, so that its RSS does not count in "RSS after".
    /// </summary>
    private static async Task RunAllocationPhaseAsync(List<Contender> contenders, AllocationSettings settings,
        int rounds, List<MachineLoad> machineLoad, CancellationToken cancellationToken)
    {
        if (!contenders.Any(c => c.IsActive))
        {
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocations: {settings.Count:N0} fresh clients per round, each Allocate, 401, authenticated Allocate, {settings.InFlight} transactions in flight on {settings.EffectiveThreads} thread(s); all held, then released; {rounds} round(s) per server, alternating, after {Math.Min(settings.InFlight, settings.Count)} unmeasured"));
        foreach (Contender contender in contenders.Where(c => c.IsActive).ToList())
        {
            TransactionBurstResult? warmup = await MeasureAsync(contenders, contender, "allocation warm-up", null,
                () => AllocationPhase.WarmUpAsync(contender.Server!, settings, cancellationToken));
            if (warmup is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  warm-up {contender.Name,-7} {warmup.PerSecond,7:N0} allocations/s  (not counted)"));
            }

            await Task.Delay(Pause, cancellationToken);
        }

        for (int round = 1; round <= rounds; round++)
        {
            foreach (Contender contender in contenders.Where(c => c.IsActive).ToList())
            {
                AllocationRound? run = await MeasureAsync(contenders, contender, $"allocations {round}", machineLoad,
                    () => AllocationPhase.RunAsync(contender.Server!, settings, round, cancellationToken));
                if (run is not null)
                {
                    contender.Result.AllocationRounds.Add(run);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  round {round} {contender.Name,-7} {run.AllocationsPerSecond,7:N0} allocations/s ({run.Allocate.Completed:N0} in {run.Allocate.Elapsed.TotalMilliseconds:0} ms, {run.Allocate.Failed} failed, {run.Allocate.Retransmits} resent)  {AllocationTable.KiB(run.MemoryPerAllocationBytes)} per allocation (RSS {ReportFormat.Size(run.ResidentBeforeBytes)} -> {ReportFormat.Size(run.ResidentHeldBytes)})  server CPU {run.ServerCpuMicrosecondsPerAllocation:0} us/allocation  {run.ReleasesPerSecond,7:N0} releases/s ({run.Release.Failed} failed)"));
                }

                await Task.Delay(Pause, cancellationToken);
            }
        }
    }

    /// <summary>Says what went wrong, if anything, last; 0 when every server relayed everything correctly.</summary>
    private static int Verdict(IReadOnlyList<ServerResult> results)
    {
        int exitCode = 0;
        foreach (ServerResult result in results)
        {
            if (result.Failed)
            {
                Console.WriteLine($"FAILED: {result.Name} during {result.FailedDuring}: {result.Failure}");
                exitCode = 1;
            }

            if (result.Errors != 0)
            {
                Console.WriteLine($"FAILED: {result.Name}: {result.Errors:N0} errors (wrongly relayed or unexpected datagrams, failed sends, allocations or releases)");
                exitCode = 1;
            }
        }

        return exitCode;
    }

    /// <summary>Starts a server and waits for it to answer a Binding request; a failure is the server's.</summary>
    private static async Task StartAsync(Contender contender, ServerLaunch launch, ServerSettings settings,
        ServerRegistry registry, CancellationToken cancellationToken)
    {
        contender.Result.Command = launch.ToString();
        try
        {
            ServerProcess process = registry.Start(contender.Name, launch,
                Path.Combine(settings.ScratchDirectory, contender.Name + ".log"));
            var server = new ServerUnderTest(process, settings.EndPoint, settings.RelayPorts, settings.Secret, settings.Realm);
            contender.Result.StartupTime = await server.WaitUntilAnsweringAsync(StartTimeout, cancellationToken);
            contender.Server = server;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{contender.Name} answers on {server.EndPoint}, relays on ports {settings.RelayPorts} (pid {process.Pid}, {contender.Result.StartupTime.TotalSeconds:0.00} s after start): {launch}"));
        }
        catch (BenchmarkException e)
        {
            contender.Fail("start", e.Message);
        }
    }

    /// <summary>
    /// Runs one measurement of one server while watching the rest of the machine: the CPU the other servers use
    /// meanwhile, and the CPU that neither the servers nor this process account for (which makes the figures
    /// unreliable); neither is recorded without <paramref name="machineLoad"/> (a warm-up). A
    /// <see cref="BenchmarkException"/> fails the server that died, if one did, or else the one measured; the result
    /// is then null.
    /// </summary>
    private static async Task<T?> MeasureAsync<T>(List<Contender> contenders, Contender measured, string label,
        List<MachineLoad>? machineLoad, Func<Task<T>> run)
        where T : class
    {
        Contender[] watched = [.. contenders.Where(c => c.IsActive)];
        try
        {
            ServerProcess[] processes = [.. watched.Select(c => c.Server!.Process)];
            CpuSnapshot before = CpuSnapshot.Take(processes);
            T result = await run();
            measured.Server!.Process.EnsureRunning();
            if (machineLoad is null)
            {
                return result;
            }

            var interval = new CpuInterval(before, CpuSnapshot.Take(processes));
            for (int i = 0; i < watched.Length; i++)
            {
                if (watched[i] != measured)
                {
                    watched[i].Result.IdleCpu.Add(interval.ServerCpu(i), interval.Elapsed);
                }
            }

            machineLoad.Add(interval.ToMachineLoad($"{label} {measured.Name}"));
            return result;
        }
        catch (BenchmarkException e)
        {
            Contender culprit = watched.FirstOrDefault(c => c.Server!.Process.HasExited) ?? measured;
            culprit.Fail(culprit == measured ? label : $"{label} of {measured.Name}", e.Message);
            return null;
        }
    }
}
