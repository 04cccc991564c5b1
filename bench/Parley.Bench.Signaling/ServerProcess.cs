using System.ComponentModel;
using System.Diagnostics;

namespace Parley.Bench.Signaling;

/// <summary>A failure the benchmark reports in one line and exits non-zero for.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);

/// <summary>How to start a server: the executable, its arguments, where to run it and extra environment.</summary>
internal sealed record ServerLaunch(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment)
{
    public override string ToString() =>
        string.Concat(Environment.Select(e => $"{e.Key}={e.Value} ")) + $"{FileName} {string.Join(' ', Arguments)}";
}

/// <summary>
/// A server under test, run as a child process (an ASP.NET Core application). Its output goes to a log file, the
/// last lines are kept for error messages, and the address it reports ("Now listening on: http://…") is where the
/// clients go. It is killed, with anything it started, on <see cref="DisposeAsync"/> or <see cref="Kill"/>.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "Now listening on: ";
    private const int TailLength = 30;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _logClosed;

    private ServerProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ServerProcess Start(string name, ServerLaunch launch, string logPath)
    {
        var info = new ProcessStartInfo(launch.FileName)
        {
            WorkingDirectory = launch.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in launch.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in launch.Environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath);
        log.WriteLine($"$ {launch}");
        var server = new ServerProcess(name, new Process { StartInfo = info }, log);
        server._process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnOutput(e.Data);
        try
        {
            server._process.Start();
        }
        catch (Win32Exception e)
        {
            log.Dispose();
            server._process.Dispose();
            throw new BenchmarkException($"{name}: cannot start {launch.FileName}: {e.Message}");
        }

        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The HTTP address the server reported, once it listens; fails when it exits first or is too slow.</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Task exited = _process.WaitForExitAsync(deadline.Token);
        Task finished = await Task.WhenAny(_listening.Task, exited);
        cancellationToken.ThrowIfCancellationRequested();
        if (finished == _listening.Task)
        {
            return await _listening.Task;
        }

        if (_process.HasExited)
        {
            throw new BenchmarkException(
                $"{Name} exited with code {_process.ExitCode} before listening; its last output:{System.Environment.NewLine}{Tail()}");
        }

        throw new BenchmarkException(
            $"{Name} did not report a listening address within {timeout.TotalSeconds:0} s; its last output:{System.Environment.NewLine}{Tail()}");
    }

    /// <summary>The last lines the server wrote, for error messages.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return string.Join(System.Environment.NewLine, _tail.Select(line => "    | " + line));
        }
    }

    /// <summary>Kills the process tree without waiting; safe from any thread, any number of times.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone, or going.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"warning: {Name} (pid {Pid}) did not exit within 5 s of SIGKILL");
            }
        }

        lock (_gate)
        {
            _logClosed = true;
            _log.Dispose();
        }

        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        int listening = line.IndexOf(ListeningPrefix, StringComparison.Ordinal);
        if (listening >= 0 && Uri.TryCreate(line[(listening + ListeningPrefix.Length)..].Trim(), UriKind.Absolute, out Uri? uri))
        {
            _listening.TrySetResult(uri);
        }

        lock (_gate)
        {
            if (_logClosed)
            {
                return;
            }

            _log.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailLength)
            {
                _tail.Dequeue();
            }
        }
    }
}

/// <summary>
/// The servers started so far, so that every way out kills them: the normal one through <see cref="DisposeAsync"/>,
/// and the runtime's shutdown (a second Ctrl+C, SIGTERM, an unhandled exception) through <see cref="KillAll"/>.
/// </summary>
internal sealed class ServerRegistry : IAsyncDisposable
{
    private readonly List<ServerProcess> _servers = [];
    private readonly Lock _gate = new();

    public ServerRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
    }

    public void Add(ServerProcess server)
    {
        lock (_gate)
        {
            _servers.Add(server);
        }
    }

    public void KillAll()
    {
        lock (_gate)
        {
            foreach (ServerProcess server in _servers)
            {
                server.Kill();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillAll();
        ServerProcess[] servers;
        lock (_gate)
        {
            servers = [.. _servers];
            _servers.Clear();
        }

        foreach (ServerProcess server in servers)
        {
            await server.DisposeAsync();
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillAll();

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e) => KillAll();
}
