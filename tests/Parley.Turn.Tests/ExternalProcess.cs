using System.Diagnostics;
using System.Text;

namespace Parley.Turn.Tests;

/// <summary>A program started by a test, killed (with its children) when disposed, whatever the test's outcome;
/// its output is collected as it comes.</summary>
internal sealed class ExternalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static string? FindOnPath(string program) => Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
        .Where(dir => dir.Length > 0).Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    public static ExternalProcess Start(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(FindOnPath(program) ?? throw new FileNotFoundException($"{program} is not on PATH."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new ExternalProcess(Process.Start(info)!);
    }

    /// <summary>Waits for the program to exit; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // it was never started or is gone already
        }

        _process.Dispose();
    }
}
