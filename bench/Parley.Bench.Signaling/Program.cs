using System.Diagnostics;
using System.Text.Json;
using Parley.Bench.Common;

namespace Parley.Bench.Signaling;

/// <summary>
/// Starts Parley and the raw broadcast server on 127.0.0.1, drives both with the same chat load over OpenVidu's
/// WebSocket JSON-RPC in alternating rounds, checks every delivery, and reports throughput, latency, CPU and memory
/// side by side. With <c>raw-server</c> as its first argument it is the raw server instead. See bench/README.md.
/// </summary>
internal static class Program
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == RawServer.Command)
        {
            return await RawServer.RunAsync(args[1..]);
        }

        return await BenchmarkHost.RunAsync<Options>(args, "parley-bench-signaling-", RunAsync);
    }

    private static async Task<int> RunAsync(Options options, ServerRegistry registry, string scratch, CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.Now;
        long startedAt = Stopwatch.GetTimestamp();
        string root = RepositoryRoot.Find();
        LoadSettings load = options.Load;
        int rounds = options.Common.Rounds;

        ServerLaunch? parleyLaunch = options.Control ? null : await PrepareParleyAsync(options, root, cancellationToken);
        IReadOnlyDictionary<string, string> gc = GcEnvironment(parleyLaunch);
        string self = typeof(Program).Assembly.Location;
        var rawLaunch = new ServerLaunch("dotnet", [self, RawServer.Command, "--urls", "http://127.0.0.1:0"],
            AppContext.BaseDirectory) { Environment = gc };

        var targets = new List<Target>
        {
            await StartAsync("raw", rawLaunch, openVidu: false, scratch, registry, cancellationToken),
            parleyLaunch is null
                ? await StartAsync("raw2", rawLaunch, openVidu: false, scratch, registry, cancellationToken)
                : await StartAsync("parley", parleyLaunch, openVidu: true, scratch, registry, cancellationToken),
        };

        await Task.Delay(Settle, cancellationToken);
        foreach (Target target in targets)
        {
            target.Result.ResidentIdleBytes = ProcStats.ReadResidentBytes(target.Process.Pid);
        }

        string gcSettings = string.Join(", ", gc.Select(e => $"{e.Key}={e.Value}")) + " for both servers (Parley's own settings; the raw server gets them through the environment)";
        if (options.Paced)
        {
            return await PacedRun.RunAsync(options, targets, root, gcSettings, started, startedAt, cancellationToken);
        }

        Console.WriteLine(Report.Header(load, rounds));
        var machineLoad = new List<MachineLoad>();
        for (int round = 1; round <= rounds; round++)
        {
            foreach (Target target in targets)
            {
                RoundResult result = await MeasureAsync(round, target, targets, load, machineLoad, cancellationToken);
                Console.WriteLine(Report.RoundLine(target.Result, result));
                PrintErrors(result);
                await PauseAsync(cancellationToken);
            }
        }

        foreach (Target target in targets)
        {
            target.Result.PeakResidentBytes = ProcStats.ReadPeakResidentBytes(target.Process.Pid);
            target.Result.Threads = ProcStats.ReadThreadCount(target.Process.Pid);
        }

        string revision = await GitRevision.DescribeAsync(root, cancellationToken);
        var info = new RunInfo(load, rounds, options.Common.Short, options.Control, machineLoad, gcSettings, revision, started, Stopwatch.GetElapsedTime(startedAt));
        ServerResult[] results = [.. targets.Select(t => t.Result)];
        Console.WriteLine();
        Console.Write(Report.Format(info, results));

        var outputs = new List<string>();
        if (!options.Common.Short && !options.Control)
        {
            outputs.Add(Path.Combine(root, "bench", "results", "signaling-latest.json"));
        }

        if (options.Common.Output is { } output)
        {
            outputs.Add(Path.GetFullPath(output));
        }

        foreach (string path in outputs)
        {
            ResultsJson.Write(path, info, results);
            Console.WriteLine($"written: {path}");
        }

        long errors = results.Sum(r => r.Errors);
        if (errors != 0)
        {
            Console.WriteLine($"FAILED: {errors:N0} delivery errors (missing, repeated or misordered signals, failed requests, closed sockets)");
            return 1;
        }

        return 0;
    }

    /// <summary>One round against <paramref name="target"/>, kept in its results; fails, with its last output, when
    /// the server has died. Then a short pause, so the next round starts on a quiet machine.</summary>
    public static async Task<RoundResult> MeasureAsync(int round, Target target, IReadOnlyList<Target> targets,
        LoadSettings load, List<MachineLoad> machineLoad, CancellationToken cancellationToken)
    {
        RoundResult result;
        try
        {
            result = await LoadRound.RunAsync(round, target, targets, load, machineLoad, cancellationToken);
        }
        catch (BenchmarkException) when (target.Process.HasExited)
        {
            target.Process.EnsureRunning(); // says so, with its last output
            throw;
        }

        target.Process.EnsureRunning();
        target.Result.Rounds.Add(result);
        return result;
    }

    /// <summary>A round's first errors, under its line.</summary>
    public static void PrintErrors(RoundResult result)
    {
        foreach (string sample in result.ErrorSamples)
        {
            Console.WriteLine($"    ERROR {sample}");
        }
    }

    /// <summary>Between two rounds.</summary>
    public static Task PauseAsync(CancellationToken cancellationToken) => Task.Delay(Pause, cancellationToken);

    private static async Task<Target> StartAsync(string name, ServerLaunch launch, bool openVidu, string scratch,
        ServerRegistry registry, CancellationToken cancellationToken)
    {
        ServerProcess process = registry.Start(name, launch, Path.Combine(scratch, name + ".log"));
        long start = Stopwatch.GetTimestamp();
        Uri uri = await process.WaitUntilListeningAsync(StartTimeout, cancellationToken);
        var result = new ServerResult(name, launch.ToString()) { StartupTime = Stopwatch.GetElapsedTime(start) };
        Console.WriteLine($"{name} listens on {uri} (pid {process.Pid}, {result.StartupTime.TotalSeconds:0.00} s after start): {launch}");
        return new Target(name, process, uri, openVidu, result);
    }

    /// <summary>Builds src/Parley.Server in Release (unless told not to) and says how to run it: from its output
    /// directory, so its appsettings.json applies, on a free loopback port, without STUN, and with its media UDP port
    /// chosen by the kernel (not the default 50000, which a Parley started by someone else may hold).</summary>
    private static async Task<ServerLaunch> PrepareParleyAsync(Options options, string root, CancellationToken cancellationToken)
    {
        ParleyServerBuild build = await ParleyServerBuild.PrepareAsync(root, build: !options.Common.NoBuild,
            cancellationToken);
        return build.Launch(["--urls", "http://127.0.0.1:0", "--Stun:Enabled=false", "--WebRtc:Port=0"]);
    }

    /// <summary>
    /// The GC settings Parley runs with (an ASP.NET Core app: server GC unless its runtimeconfig says otherwise),
    /// as environment variables, so that the raw server, which is this executable with the load generator's own
    /// workstation GC in its runtimeconfig, runs with the same. The environment overrides the runtimeconfig.
    /// </summary>
    private static Dictionary<string, string> GcEnvironment(ServerLaunch? parley)
    {
        bool server = true;
        bool concurrent = true;
        if (parley is not null)
        {
            string config = Path.ChangeExtension(parley.Arguments[0], ".runtimeconfig.json");
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(config));
            if (document.RootElement.TryGetProperty("runtimeOptions", out JsonElement runtime)
                && runtime.TryGetProperty("configProperties", out JsonElement properties))
            {
                server = properties.TryGetProperty("System.GC.Server", out JsonElement s) ? s.GetBoolean() : false;
                concurrent = !properties.TryGetProperty("System.GC.Concurrent", out JsonElement c) || c.GetBoolean();
            }
            else
            {
                server = false;
            }
        }

        return new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = server ? "1" : "0",
            ["DOTNET_gcConcurrent"] = concurrent ? "1" : "0",
        };
    }
}
