namespace Parley.Bench.Common;

/// <summary>
/// The servers started so far, so that every exit path kills them: the normal one and failures through
/// <see cref="DisposeAsync"/>, and the runtime's shutdown (a second Ctrl+C, SIGTERM, an unhandled exception on some
/// thread) through <see cref="KillAll"/>.
/// </summary>
public sealed class ServerRegistry : IAsyncDisposable
{
    private readonly List<ServerProcess> _servers = [];
    private readonly Lock _gate = new();

    public ServerRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
    }

    /// <summary>Starts a server (see <see cref="ServerProcess.Start"/>) and keeps it, to be killed in the end.</summary>
    public ServerProcess Start(string name, ServerLaunch launch, string logPath)
    {
        ServerProcess server = ServerProcess.Start(name, launch, logPath);
        lock (_gate)
        {
            _servers.Add(server);
        }

        return server;
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
