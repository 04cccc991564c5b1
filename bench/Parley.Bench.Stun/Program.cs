using System.Globalization;
using System.Net;
using Parley.Bench.Common;

namespace Parley.Bench.Stun;

/// <summary>
/// Starts coturn and Parley on 127.0.0.1, drives both with the same STUN Binding load, and reports throughput,
/// loss at a common rate and memory side by side. See bench/README.md.
/// </summary>
internal static class Program
{
    private const string CoturnExecutable = "turnserver";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    // Server logs, coturn's pid file and database go to the scratch directory: kept when something went wrong.
    public static Task<int> Main(string[] args) => BenchmarkHost.RunAsync<Options>(args, "parley-bench-stun-", RunAsync);

    private static async Task<int> RunAsync(Options options, ServerRegistry registry, string scratch,
        CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.Now;
        string root = RepositoryRoot.Find();
        LoadSettings load = options.Load;
        int rounds = options.Common.Rounds;

        ServerLaunch? parleyLaunch = null;
        if (!options.CoturnOnly)
        {
            parleyLaunch = await PrepareParleyAsync(options, root, scratch, cancellationToken);
        }

        // Hold every port until all are chosen, so that no two are the same.
        using var portHolder = new PortHolder();
        int coturnPort = portHolder.Udp();
        int parleyPort = portHolder.Udp();
        int parleyHttpPort = portHolder.Tcp();
        portHolder.Dispose();

        var endpoints = new List<(StunServer Server, ServerResult Result)>();
        ServerLaunch coturnLaunch = CoturnLaunch(coturnPort, scratch);
        endpoints.Add(await StartAsync("coturn", coturnLaunch, coturnPort, scratch, registry, cancellationToken));
        if (parleyLaunch is not null)
        {
            ServerLaunch launch = WithPlaceholders(parleyLaunch, parleyPort, parleyHttpPort, scratch);
            endpoints.Add(await StartAsync("parley", launch, parleyPort, scratch, registry, cancellationToken));
        }

        var machineLoad = new List<MachineLoad>();
        await Task.Delay(Settle, cancellationToken);
        foreach ((StunServer server, ServerResult result) in endpoints)
        {
            result.ResidentIdleBytes = ProcStats.ReadResidentBytes(server.Process.Pid);
        }

        Console.WriteLine(
            $"closed loop: {load.Sockets} sockets x {load.Window} outstanding on {Math.Min(load.Threads, load.Sockets)} threads, {load.Duration.TotalSeconds:0.#} s after {load.Warmup.TotalSeconds:0.#} s warm-up, {rounds} round(s) per server, alternating");
        for (int round = 1; round <= rounds; round++)
        {
            foreach ((StunServer server, ServerResult result) in endpoints)
            {
                ClosedLoopResult run = await MeasureAsync(endpoints, server, $"closed loop {round} {result.Name}",
                    machineLoad, () => ClosedLoop.RunAsync(server, load, cancellationToken));
                server.Process.EnsureRunning();
                result.Rounds.Add(run);
                Console.WriteLine(
                    $"  round {round} {result.Name,-7} {run.AnsweredPerSecond,10:N0} answered/s  errors {run.Totals.Errors}  timeouts {run.Lost}  server CPU {run.ServerCores:0.00} cores, {run.ServerCpuMicrosecondsPerAnswer:0.0} us/answer");
                await Task.Delay(Pause, cancellationToken);
            }
        }

        double openLoopRate = 0.9 * endpoints[0].Result.MedianAnsweredPerSecond;
        if (openLoopRate >= 1)
        {
            Console.WriteLine($"open loop: {openLoopRate:N0} requests/s (90% of coturn's closed-loop rate) for {load.Duration.TotalSeconds:0.#} s");
            foreach ((StunServer server, ServerResult result) in endpoints)
            {
                OpenLoopResult run = await MeasureAsync(endpoints, server, $"open loop {result.Name}", machineLoad,
                    () => OpenLoop.RunAsync(server, openLoopRate, load, cancellationToken));
                server.Process.EnsureRunning();
                result.OpenLoop = run;
                Console.WriteLine(
                    $"  {result.Name,-7} sent {run.Sent:N0} ({run.SentPerSecond:N0}/s), answered {run.Answered:N0}, loss {run.LossPercent:0.00}%");
                await Task.Delay(Pause, cancellationToken);
            }
        }

        foreach ((StunServer server, ServerResult result) in endpoints)
        {
            result.ResidentAfterBytes = ProcStats.ReadResidentBytes(server.Process.Pid);
            result.PeakResidentBytes = ProcStats.ReadPeakResidentBytes(server.Process.Pid);
            result.Threads = ProcStats.ReadThreadCount(server.Process.Pid);
        }

        var info = new RunInfo(load, rounds, openLoopRate, machineLoad,
            await ChildCommand.QueryAsync(CoturnExecutable, ["--version"], root, cancellationToken),
            options.CoturnOnly ? "" : await GitRevision.DescribeAsync(root, cancellationToken),
            started);
        ServerResult[] results = [.. endpoints.Select(e => e.Result)];
        Console.WriteLine();
        Console.Write(Report.Format(info, results));
        string output = options.Common.Output ?? Path.Combine(root, "bench", "results", "stun-latest.json");
        ResultsJson.Write(output, info, results);
        Console.WriteLine();
        Console.WriteLine($"written: {output}");

        long errors = results.Sum(r => r.Errors);
        if (errors != 0)
        {
            Console.WriteLine($"{errors:N0} errors: responses that were not a correct Binding success");
            return 1;
        }

        return 0;
    }

    private static async Task<(StunServer, ServerResult)> StartAsync(string name, ServerLaunch launch, int port,
        string scratch, ServerRegistry registry, CancellationToken cancellationToken)
    {
        var server = new StunServer(registry.Start(name, launch, Path.Combine(scratch, name + ".log")),
            new IPEndPoint(IPAddress.Loopback, port));
        var result = new ServerResult(name, launch.ToString());
        result.StartupTime = await server.WaitUntilAnsweringAsync(StartTimeout, cancellationToken);
        Console.WriteLine($"{name} answers on {server.EndPoint} (pid {server.Process.Pid}, {result.StartupTime.TotalSeconds:0.00} s after start): {launch}");
        return (server, result);
    }

    /// <summary>
    /// Runs a measurement of one server while watching the rest of the machine: the CPU the other servers use
    /// meanwhile (an idle server that is not idle takes CPU from the one measured), and the CPU that neither the
    /// servers nor this process account for (someone else's build, say), which makes the figures unreliable.
    /// </summary>
    private static async Task<T> MeasureAsync<T>(List<(StunServer Server, ServerResult Result)> endpoints,
        StunServer measured, string label, List<MachineLoad> machineLoad, Func<Task<T>> run)
    {
        ServerProcess[] processes = [.. endpoints.Select(e => e.Server.Process)];
        CpuSnapshot before = CpuSnapshot.Take(processes);

        T result = await run();

        var interval = new CpuInterval(before, CpuSnapshot.Take(processes));
        for (int i = 0; i < endpoints.Count; i++)
        {
            if (endpoints[i].Server != measured)
            {
                endpoints[i].Result.IdleCpu.Add(interval.ServerCpu(i), interval.Elapsed);
            }
        }

        machineLoad.Add(interval.ToMachineLoad(label));
        return result;
    }

    /// <summary>
    /// coturn as a plain STUN server over UDP only, with its default thread count (one relay thread per CPU), no
    /// config file, and its pid file and database kept out of the system's directories.
    /// </summary>
    private static ServerLaunch CoturnLaunch(int port, string scratch) => new(CoturnExecutable,
        [
            "-n", "--no-cli", "--listening-ip=127.0.0.1", $"--listening-port={port}", "--no-tls", "--no-dtls",
            "--no-tcp", "--no-auth", "--stun-only", "--log-file=stdout", "--simple-log",
            $"--pidfile={Path.Combine(scratch, "coturn.pid")}", $"--db={Path.Combine(scratch, "coturn.sqlite")}",
        ],
        scratch);

    /// <summary>
    /// How to run Parley: the --parley-cmd command, or Parley.Server.dll (built first unless --no-build) on the
    /// STUN port and a free HTTP port, STUN over UDP only. <c>{port}</c>, <c>{http}</c> and <c>{dir}</c> are filled
    /// in by <see cref="WithPlaceholders"/> once the ports are chosen.
    /// </summary>
    private static async Task<ServerLaunch> PrepareParleyAsync(Options options, string root, string scratch,
        CancellationToken cancellationToken)
    {
        if (options.ParleyCommand is { } command)
        {
            string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length == 0)
            {
                throw new BenchmarkException("--parley-cmd is empty");
            }

            return new ServerLaunch(words[0], words[1..], scratch);
        }

        ParleyServerBuild build = await ParleyServerBuild.PrepareAsync(root, build: !options.Common.NoBuild,
            cancellationToken);
        return build.Launch(
            ["--Stun:ListeningPort={port}", "--Stun:ListeningIps:0=127.0.0.1", "--Stun:TcpEnabled=false", "--urls", "http://127.0.0.1:{http}"]);
    }

    private static ServerLaunch WithPlaceholders(ServerLaunch launch, int port, int httpPort, string scratch) => launch with
    {
        Arguments = [.. launch.Arguments.Select(a => a
            .Replace("{port}", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{http}", httpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{dir}", scratch, StringComparison.Ordinal))],
    };
}
