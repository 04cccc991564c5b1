using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

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

        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (BenchmarkException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
            return 0;
        }

        DirectoryInfo scratch = Directory.CreateTempSubdirectory("parley-bench-signaling-");
        var servers = new ServerRegistry();
        using var interrupted = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (!interrupted.IsCancellationRequested)
            {
                context.Cancel = true; // the first stops the run, which then cleans up
                interrupted.Cancel();
            }
            else
            {
                servers.KillAll(); // a second one ends the process at once; the servers go first
            }
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        int exitCode;
        bool keepLogs = true;
        try
        {
            exitCode = await RunAsync(options, servers, scratch.FullName, interrupted.Token);
            keepLogs = exitCode != 0 || options.KeepLogs;
        }
        catch (BenchmarkException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            exitCode = 1;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("interrupted");
            exitCode = 130;
            keepLogs = false;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync($"error: {e}");
            exitCode = 1;
        }
        finally
        {
            await servers.DisposeAsync();
        }

        if (keepLogs)
        {
            await Console.Error.WriteLineAsync($"server logs: {scratch.FullName}");
        }
        else
        {
            scratch.Delete(recursive: true);
        }

        return exitCode;
    }

    private static async Task<int> RunAsync(Options options, ServerRegistry registry, string scratch, CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.Now;
        long startedAt = Stopwatch.GetTimestamp();
        string root = FindRepositoryRoot();
        LoadSettings load = options.Load;

        ServerLaunch? parleyLaunch = options.Control ? null : await PrepareParleyAsync(options, root, cancellationToken);
        IReadOnlyDictionary<string, string> gc = GcEnvironment(parleyLaunch);
        string self = typeof(Program).Assembly.Location;
        var rawLaunch = new ServerLaunch("dotnet", [self, RawServer.Command, "--urls", "http://127.0.0.1:0"],
            AppContext.BaseDirectory, gc);

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

        Console.WriteLine(Report.Header(load, options.Rounds));
        var machineLoad = new List<MachineLoad>();
        for (int round = 1; round <= options.Rounds; round++)
        {
            foreach (Target target in targets)
            {
                RoundResult result;
                try
                {
                    result = await LoadRound.RunAsync(round, target, targets, load, machineLoad, cancellationToken);
                }
                catch (BenchmarkException) when (target.Process.HasExited)
                {
                    EnsureRunning(target.Process); // says so, with its last output
                    throw;
                }

                EnsureRunning(target.Process);
                target.Result.Rounds.Add(result);
                Console.WriteLine(Report.RoundLine(target.Result, result));
                foreach (string sample in result.ErrorSamples)
                {
                    Console.WriteLine($"    ERROR {sample}");
                }

                await Task.Delay(Pause, cancellationToken);
            }
        }

        foreach (Target target in targets)
        {
            target.Result.PeakResidentBytes = ProcStats.ReadPeakResidentBytes(target.Process.Pid);
            target.Result.Threads = ProcStats.ReadThreadCount(target.Process.Pid);
        }

        string revision = await GitRevisionAsync(root, cancellationToken);
        var info = new RunInfo(load, options.Rounds, options.Short, options.Control, machineLoad,
            string.Join(", ", gc.Select(e => $"{e.Key}={e.Value}")) + " for both servers (Parley's own settings; the raw server gets them through the environment)",
            revision, started, Stopwatch.GetElapsedTime(startedAt));
        ServerResult[] results = [.. targets.Select(t => t.Result)];
        Console.WriteLine();
        Console.Write(Report.Format(info, results));

        var outputs = new List<string>();
        if (!options.Short && !options.Control)
        {
            outputs.Add(Path.Combine(root, "bench", "results", "signaling-latest.json"));
        }

        if (options.Output is { } output)
        {
            outputs.Add(Path.GetFullPath(output));
        }

        foreach (string path in outputs)
        {
            Report.WriteJson(path, info, results);
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

    private static async Task<Target> StartAsync(string name, ServerLaunch launch, bool openVidu, string scratch,
        ServerRegistry registry, CancellationToken cancellationToken)
    {
        ServerProcess process = ServerProcess.Start(name, launch, Path.Combine(scratch, name + ".log"));
        registry.Add(process);
        long start = Stopwatch.GetTimestamp();
        Uri uri = await process.WaitUntilListeningAsync(StartTimeout, cancellationToken);
        var result = new ServerResult(name, launch.ToString()) { StartupTime = Stopwatch.GetElapsedTime(start) };
        Console.WriteLine($"{name} listens on {uri} (pid {process.Pid}, {result.StartupTime.TotalSeconds:0.00} s after start): {launch}");
        return new Target(name, process, uri, openVidu, result);
    }

    private static void EnsureRunning(ServerProcess process)
    {
        if (process.HasExited)
        {
            throw new BenchmarkException($"{process.Name} exited during the run; its last output:{Environment.NewLine}{process.Tail()}");
        }
    }

    /// <summary>Builds src/Parley.Server in Release (unless told not to) and says how to run it: from its output
    /// directory, so its appsettings.json applies, on a free loopback port, without STUN, and with its media UDP port
    /// chosen by the kernel (not the default 50000, which a Parley started by someone else may hold).</summary>
    private static async Task<ServerLaunch> PrepareParleyAsync(Options options, string root, CancellationToken cancellationToken)
    {
        string project = Path.Combine("src", "Parley.Server");
        if (!options.NoBuild)
        {
            Console.WriteLine($"building {project} (Release)...");
            (int exitCode, string output) = await RunCommandAsync("dotnet", ["build", project, "-c", "Release", "-v", "quiet", "--nologo"],
                root, TimeSpan.FromMinutes(5), cancellationToken);
            if (exitCode != 0)
            {
                string tail = string.Join(Environment.NewLine, output.Split('\n', StringSplitOptions.TrimEntries)
                    .Where(l => l.Length > 0).TakeLast(25).Select(l => "    | " + l));
                throw new BenchmarkException($"building {project} failed (exit code {exitCode}):{Environment.NewLine}{tail}");
            }
        }

        string binaries = Path.Combine(root, project, "bin", "Release", "net10.0");
        string dll = Path.Combine(binaries, "Parley.Server.dll");
        if (!File.Exists(dll))
        {
            throw new BenchmarkException($"{dll} does not exist; build it, or run without --no-build");
        }

        return new ServerLaunch("dotnet", [dll, "--urls", "http://127.0.0.1:0", "--Stun:Enabled=false", "--WebRtc:Port=0"], binaries,
            new Dictionary<string, string>());
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

    private static async Task<string> GitRevisionAsync(string root, CancellationToken cancellationToken)
    {
        (int exitCode, string output) = await RunCommandAsync("git", ["describe", "--always", "--dirty"], root,
            TimeSpan.FromSeconds(10), cancellationToken);
        return exitCode == 0 ? output.Trim() : "unknown";
    }

    private static async Task<(int ExitCode, string Output)> RunCommandAsync(string fileName, IEnumerable<string> arguments,
        string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"cannot start {fileName}: {e.Message}");
        }

        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return (-1, string.Create(CultureInfo.InvariantCulture, $"{fileName} did not finish within {timeout.TotalSeconds:0} s"));
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRepositoryRoot()
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new BenchmarkException("cannot find the repository root (the directory holding Parley.slnx)");
    }
}
