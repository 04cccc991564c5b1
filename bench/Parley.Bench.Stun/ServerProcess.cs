using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Bench.Stun;

/// <summary>A failure the benchmark reports in one line and exits non-zero for.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);

/// <summary>
/// A STUN server under test, run as a child process. Its output goes to a log file (and the last lines are kept for
/// error messages); it is killed, with anything it started, on <see cref="DisposeAsync"/> or <see cref="Kill"/>.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int TailLength = 30;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();
    private bool _logClosed;

    private ServerProcess(string name, Process process, IPEndPoint stunEndPoint, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        StunEndPoint = stunEndPoint;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    /// <summary>Where the server listens for STUN over UDP.</summary>
    public IPEndPoint StunEndPoint { get; }

    public string LogPath { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>User and system CPU time of the whole process, all threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static ServerProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory,
        IPEndPoint stunEndPoint, string logPath)
    {
        ProcessStartInfo info = ChildCommand.CreateStartInfo(fileName, arguments, workingDirectory);
        var process = new Process { StartInfo = info };
        var log = new StreamWriter(logPath);
        log.WriteLine($"$ {fileName} {string.Join(' ', info.ArgumentList)}");
        var server = new ServerProcess(name, process, stunEndPoint, log, logPath);
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
            throw new BenchmarkException($"{name}: cannot start {fileName}: {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The last lines the server wrote, for error messages.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _tail.Select(line => "    | " + line));
        }
    }

    /// <summary>
    /// Sends Binding requests until one is answered correctly. Fails at once when the process exits or answers
    /// wrongly, and after <paramref name="timeout"/> when nothing answers.
    /// </summary>
    public async Task<TimeSpan> WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var expected = TransportAddress.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
        byte[] request = new byte[StunWire.RequestBufferLength];
        byte[] response = new byte[StunWire.ResponseBufferLength];
        var anyEndPoint = new IPEndPoint(IPAddress.Any, 0);
        long start = Stopwatch.GetTimestamp();
        string lastProblem = "no answer";
        while (Stopwatch.GetElapsedTime(start) < timeout)
        {
            if (HasExited)
            {
                throw new BenchmarkException(
                    $"{Name} exited with code {_process.ExitCode} before answering a Binding request; its last output:{Environment.NewLine}{Tail()}");
            }

            TransactionId id = TransactionId.NewRandom();
            int length = StunWire.WriteBindingRequest(request, id);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(ProbeInterval);
            try
            {
                await socket.SendToAsync(request.AsMemory(0, length), SocketFlags.None, StunEndPoint, cancellationToken);
                while (true)
                {
                    SocketReceiveFromResult received =
                        await socket.ReceiveFromAsync(response, SocketFlags.None, anyEndPoint, attempt.Token);
                    Fault? fault = StunWire.CheckBindingResponse(response.AsMemory(0, received.ReceivedBytes), expected,
                        out TransactionId answered, out _);
                    if (answered != id)
                    {
                        continue; // an answer to an earlier probe
                    }

                    if (fault is { } f)
                    {
                        throw new BenchmarkException($"{Name} answered the Binding request wrongly: {StunWire.Describe(f)}.");
                    }

                    if (!StunEndPoint.Equals(received.RemoteEndPoint))
                    {
                        // The load runs use connected sockets, which would silently drop such answers.
                        throw new BenchmarkException(
                            $"{Name} answered from {received.RemoteEndPoint} instead of {StunEndPoint}.");
                    }

                    return Stopwatch.GetElapsedTime(start);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the probe interval: ask again.
            }
            catch (SocketException e)
            {
                lastProblem = e.Message;
                await Task.Delay(ProbeInterval, cancellationToken);
            }
        }

        throw new BenchmarkException(
            $"{Name} did not answer a Binding request on {StunEndPoint} within {timeout.TotalSeconds:0} s ({lastProblem}); its last output:{Environment.NewLine}{Tail()}");
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
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (Win32Exception)
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
/// The servers started so far, so that every exit path kills them: the normal one and failures through
/// <see cref="DisposeAsync"/>, and the runtime's shutdown (a second Ctrl+C, SIGTERM, an unhandled exception on some
/// thread) through <see cref="KillAll"/>.
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
        // Killed before anything else, and under the lock, so that a signal handler's KillAll waits for it rather
        // than finding nothing to do and letting the process end with the servers still running.
        KillAll();
        ServerProcess[] servers;
        lock (_gate)
        {
            servers = [.. _servers];
        }

        foreach (ServerProcess server in servers)
        {
            await server.DisposeAsync();
        }

        lock (_gate)
        {
            _servers.Clear();
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillAll();

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e) => KillAll();
}
