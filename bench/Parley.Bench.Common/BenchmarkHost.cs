using System.Runtime.InteropServices;

namespace Parley.Bench.Common;

/// <summary>
/// A benchmark's Main: reads the command line, runs the benchmark with a scratch directory for the servers' logs and
/// files, and makes sure the servers are gone however it ends (Ctrl+C and SIGTERM included). Exit codes: the run's
/// own (0 when all went well), 1 for a failure, 2 for a bad command line, 130 when interrupted.
/// </summary>
public static class BenchmarkHost
{
    /// <summary>
    /// The benchmark itself: it starts its servers through the registry, keeps its files in the scratch directory,
    /// stops when the token says so, and returns the exit code.
    /// </summary>
    public delegate Task<int> Run<in TOptions>(TOptions options, ServerRegistry servers, string scratch,
        CancellationToken cancellationToken);

    /// <summary>
    /// Runs the benchmark; its scratch directory, a temporary one named after <paramref name="scratchPrefix"/>, is
    /// deleted when all went well (unless --keep-logs), and kept and printed otherwise, for a look at the logs.
    /// </summary>
    public static async Task<int> RunAsync<TOptions>(IReadOnlyList<string> args, string scratchPrefix, Run<TOptions> run)
        where TOptions : IBenchmarkOptions<TOptions>
    {
        TOptions options;
        try
        {
            options = TOptions.Parse(args);
        }
        catch (BenchmarkException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        if (options.Common.Help)
        {
            Console.WriteLine(TOptions.Usage);
            return 0;
        }

        DirectoryInfo scratch = Directory.CreateTempSubdirectory(scratchPrefix);
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

        // Registered until this returns, after the servers are gone: a signal during the clean-up must not end the
        // process before it has killed them.
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        int exitCode;
        bool keepLogs = true;
        try
        {
            exitCode = await run(options, servers, scratch.FullName, interrupted.Token);
            keepLogs = exitCode != 0 || options.Common.KeepLogs;
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
}
