using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

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

    public static async Task<int> Main(string[] args)
    {
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

        // Server logs, coturn's pid file and database: kept when something went wrong, for a look.
        DirectoryInfo scratch = Directory.CreateTempSubdirectory("parley-bench-stun-");
        var servers = new ServerRegistry();
        using var interrupted = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            if (!interrupted.IsCancellationRequested)
            {
                // The first signal stops the run, which then goes through the clean-up below.
                context.Cancel = true;
                interrupted.Cancel();
            }
            else
            {
                // A second one is let through to end the process at once; the servers go first.
                servers.KillAll();
            }
        }

        // Registered until Main returns, after the servers are gone: a signal during the clean-up must not end
        // the process before it has killed them.
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

        // The servers are gone now, so their files can go too.
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

    private static async Task<int> RunAsync(Options options, ServerRegistry registry, string scratch,
        CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.Now;
        string root = FindRepositoryRoot();
        LoadSettings load = options.Load;

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

        var endpoints = new List<(ServerProcess Process, ServerResult Result)>();
        ServerLaunch coturnLaunch = CoturnLaunch(coturnPort, scratch);
        endpoints.Add(await StartAsync("coturn", coturnLaunch, coturnPort, scratch, registry, cancellationToken));
        if (parleyLaunch is not null)
        {
            ServerLaunch launch = parleyLaunch.WithPlaceholders(parleyPort, parleyHttpPort, scratch);
            endpoints.Add(await StartAsync("parley", launch, parleyPort, scratch, registry, cancellationToken));
        }

        var machineLoad = new List<MachineLoad>();
        await Task.Delay(Settle, cancellationToken);
        foreach ((ServerProcess process, ServerResult result) in endpoints)
        {
            result.ResidentIdleBytes = ProcStats.ReadResidentBytes(process.Pid);
        }

        Console.WriteLine(
            $"closed loop: {load.Sockets} sockets x {load.Window} outstanding on {Math.Min(load.Threads, load.Sockets)} threads, {load.Duration.TotalSeconds:0.#} s after {load.Warmup.TotalSeconds:0.#} s warm-up, {options.Rounds} round(s) per server, alternating");
        for (int round = 1; round <= options.Rounds; round++)
        {
            foreach ((ServerProcess process, ServerResult result) in endpoints)
            {
                ClosedLoopResult run = await MeasureAsync(endpoints, process, $"closed loop {round} {result.Name}",
                    machineLoad, () => ClosedLoop.RunAsync(process, load, cancellationToken));
                EnsureRunning(process);
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
            foreach ((ServerProcess process, ServerResult result) in endpoints)
            {
                OpenLoopResult run = await MeasureAsync(endpoints, process, $"open loop {result.Name}", machineLoad,
                    () => OpenLoop.RunAsync(process, openLoopRate, load, cancellationToken));
                EnsureRunning(process);
                result.OpenLoop = run;
                Console.WriteLine(
                    $"  {result.Name,-7} sent {run.Sent:N0} ({run.SentPerSecond:N0}/s), answered {run.Answered:N0}, loss {run.LossPercent:0.00}%");
                await Task.Delay(Pause, cancellationToken);
            }
        }

        foreach ((ServerProcess process, ServerResult result) in endpoints)
        {
            result.ResidentAfterBytes = ProcStats.ReadResidentBytes(process.Pid);
            result.PeakResidentBytes = ProcStats.ReadPeakResidentBytes(process.Pid);
            result.Threads = ProcStats.ReadThreadCount(process.Pid);
        }

        var info = new RunInfo(load, options.Rounds, openLoopRate, machineLoad,
            await VersionAsync(CoturnExecutable, ["--version"], root, cancellationToken),
            options.CoturnOnly ? "" : await VersionAsync("git", ["describe", "--always", "--dirty"], root, cancellationToken),
            started);
        ServerResult[] results = [.. endpoints.Select(e => e.Result)];
        Console.WriteLine();
        Console.Write(Report.Format(info, results));
        string output = options.Output ?? Path.Combine(root, "bench", "results", "stun-latest.json");
        Report.WriteJson(output, info, results);
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

    private static async Task<(ServerProcess, ServerResult)> StartAsync(string name, ServerLaunch launch, int port,
        string scratch, ServerRegistry registry, CancellationToken cancellationToken)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        ServerProcess process = ServerProcess.Start(name, launch.FileName, launch.Arguments, launch.WorkingDirectory,
            endPoint, Path.Combine(scratch, name + ".log"));
        registry.Add(process);
        var result = new ServerResult(name, launch.ToString());
        result.StartupTime = await process.WaitUntilAnsweringAsync(StartTimeout, cancellationToken);
        Console.WriteLine($"{name} answers on {endPoint} (pid {process.Pid}, {result.StartupTime.TotalSeconds:0.00} s after start): {launch}");
        return (process, result);
    }

    /// <summary>
    /// Runs a measurement of one server while watching the rest of the machine: the CPU the other servers use
    /// meanwhile (an idle server that is not idle takes CPU from the one measured), and the CPU that neither the
    /// servers nor this process account for (someone else's build, say), which makes the figures unreliable.
    /// </summary>
    private static async Task<T> MeasureAsync<T>(List<(ServerProcess Process, ServerResult Result)> endpoints,
        ServerProcess measured, string label, List<MachineLoad> machineLoad, Func<Task<T>> run)
    {
        TimeSpan[] before = [.. endpoints.Select(e => e.Process.CpuTime)];
        TimeSpan ownBefore = Environment.CpuUsage.TotalTime;
        (TimeSpan busyBefore, TimeSpan softIrqBefore, TimeSpan stealBefore) = ProcStats.ReadMachineCpu();
        long start = Stopwatch.GetTimestamp();

        T result = await run();

        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        (TimeSpan busyAfter, TimeSpan softIrqAfter, TimeSpan stealAfter) = ProcStats.ReadMachineCpu();
        TimeSpan own = Environment.CpuUsage.TotalTime - ownBefore;
        TimeSpan servers = TimeSpan.Zero;
        for (int i = 0; i < endpoints.Count; i++)
        {
            TimeSpan used = endpoints[i].Process.CpuTime - before[i];
            servers += used;
            if (endpoints[i].Process != measured)
            {
                endpoints[i].Result.IdleCpu += used;
                endpoints[i].Result.IdleTime += elapsed;
            }
        }

        // Softirq time (this benchmark's packets, mostly) is also charged to the process it interrupted, so it is
        // not taken off again.
        TimeSpan softIrq = softIrqAfter - softIrqBefore;
        TimeSpan other = busyAfter - busyBefore - own - servers;
        machineLoad.Add(new MachineLoad(label, Math.Max(0, other / elapsed), softIrq / elapsed,
            (stealAfter - stealBefore) / elapsed));
        return result;
    }

    private static void EnsureRunning(ServerProcess process)
    {
        if (process.HasExited)
        {
            throw new BenchmarkException(
                $"{process.Name} exited during the run; its last output:{Environment.NewLine}{process.Tail()}");
        }
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

        string project = Path.Combine("src", "Parley.Server");
        if (!options.NoBuild)
        {
            Console.WriteLine($"building {project} (Release)...");
            (int exitCode, string output) = await ChildCommand.RunAsync("dotnet",
                ["build", "-c", "Release", "--nologo", project], root, TimeSpan.FromMinutes(5), cancellationToken);
            if (exitCode != 0)
            {
                throw new BenchmarkException(
                    $"building {project} failed (exit code {exitCode}):{Environment.NewLine}{LastLines(output, 25)}");
            }
        }

        string binaries = Path.Combine(root, project, "bin", "Release", "net10.0");
        string dll = Path.Combine(binaries, "Parley.Server.dll");
        if (!File.Exists(dll))
        {
            throw new BenchmarkException($"{dll} does not exist; build it, or run without --no-build");
        }

        // Run from its output directory, as deployed, so that its appsettings.json applies.
        return new ServerLaunch("dotnet",
            [dll, "--Stun:ListeningPort={port}", "--Stun:ListeningIps:0=127.0.0.1", "--Stun:TcpEnabled=false", "--urls", "http://127.0.0.1:{http}"],
            binaries);
    }

    private static async Task<string> VersionAsync(string fileName, string[] arguments, string root,
        CancellationToken cancellationToken)
    {
        (int exitCode, string output) = await ChildCommand.RunAsync(fileName, arguments, root, TimeSpan.FromSeconds(10),
            cancellationToken);
        return exitCode == 0 ? output.Trim() : "unknown";
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

    private static string LastLines(string text, int count) => string.Join(Environment.NewLine,
        text.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.Length > 0).TakeLast(count).Select(l => "    | " + l));
}

/// <summary>How to start a server: the executable, its arguments and the directory to run it in.</summary>
internal sealed record ServerLaunch(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    public ServerLaunch WithPlaceholders(int port, int httpPort, string scratch) => this with
    {
        Arguments = [.. Arguments.Select(a => a
            .Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{http}", httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{dir}", scratch, StringComparison.Ordinal))],
    };

    public override string ToString() => $"{FileName} {string.Join(' ', Arguments)}";
}

/// <summary>Finds free loopback ports by binding to port 0, and holds them until disposed.</summary>
internal sealed class PortHolder : IDisposable
{
    private readonly List<Socket> _sockets = [];

    public int Udp() => Hold(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));

    public int Tcp() => Hold(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    public void Dispose()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
    }

    private int Hold(Socket socket)
    {
        _sockets.Add(socket);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
