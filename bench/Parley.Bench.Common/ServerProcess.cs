using System.ComponentModel;
using System.Diagnostics;

namespace Parley.Bench.Common;

/// <summary>
/// A server under test, run as a child process. Its output goes to a log file, the last lines are kept for error
/// messages, and the address an ASP.NET Core server reports ("Now listening on: http://…") is kept for
/// <see cref="WaitUntilListeningAsync"/>. It is killed, with anything it started, on <see cref="DisposeAsync"/> or
/// <see cref="Kill"/>.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
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

    public int ExitCode => _process.ExitCode;

    /// <summary>User and system CPU time of the whole process, all threads; fails when it has exited.</summary>
    public TimeSpan CpuTime => ProcStats.ReadProcessCpu(Pid) ?? throw ExitedDuringRun();

    /// <summary>Starts the server with its output going to <paramref name="logPath"/>.</summary>
    public static ServerProcess Start(string name, ServerLaunch launch, string logPath)
    {
        var process = new Process
        {
            StartInfo = ChildCommand.CreateStartInfo(launch.FileName, launch.Arguments, launch.WorkingDirectory,
                launch.Environment),
        };
        var log = new StreamWriter(logPath);
        log.WriteLine($"$ {launch}");
        var server = new ServerProcess(name, process, log);
        process.OutputDataReceived += (_, e) => server.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnOutput(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            log.Dispose();
            process.Dispose();
            throw new BenchmarkException($"{name}: cannot start {launch.FileName}: {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
                $"{Name} exited with code {_process.ExitCode} before listening; its last output:{Environment.NewLine}{Tail()}");
        }

        throw new BenchmarkException(
            $"{Name} did not report a listening address within {timeout.TotalSeconds:0} s; its last output:{Environment.NewLine}{Tail()}");
    }

    /// <summary>The last lines the server wrote, for error messages.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return ChildCommand.Quote(_tail);
        }
    }

    /// <summary>Fails, with the server's last output, when it has exited.</summary>
    public void EnsureRunning()
    {
        if (HasExited)
        {
            throw ExitedDuringRun();
        }
    }

    /// <summary>Kills the process tree without waiting; safe to call from any thread, any number of times.</summary>
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

    private BenchmarkException ExitedDuringRun() =>
        new($"{Name} exited during the run; its last output:{Environment.NewLine}{Tail()}");

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        int listening = line.IndexOf(ListeningPrefix, StringComparison.Ordinal);
        if (listening >= 0
            && Uri.TryCreate(line[(listening + ListeningPrefix.Length)..].Trim(), UriKind.Absolute, out Uri? uri))
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
