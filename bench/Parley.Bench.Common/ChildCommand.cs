using System.Collections.ObjectModel;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Parley.Bench.Common;

/// <summary>Runs a short-lived command (a build, a version query) to completion and collects its output.</summary>
public static class ChildCommand
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A start description with every stream redirected, shared by short commands and servers.</summary>
    public static ProcessStartInfo CreateStartInfo(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? ReadOnlyDictionary<string, string>.Empty)
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>
    /// Runs the command and gives its exit code and its output (standard output and error, interleaved as written);
    /// -1 and a description when it cannot start or does not finish within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments,
        string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ProcessStartInfo info = CreateStartInfo(fileName, arguments, workingDirectory);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return (-1, $"cannot start {fileName}: {e.Message}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
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
            return (-1, $"{fileName} did not finish within {timeout.TotalSeconds:0} s{Environment.NewLine}{Snapshot(output)}");
        }

        return (process.ExitCode, Snapshot(output));
    }

    /// <summary>
    /// The trimmed output of a quick query (a version, a revision), or "unknown" when it fails or takes over 10 s.
    /// </summary>
    public static async Task<string> QueryAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        CancellationToken cancellationToken)
    {
        (int exitCode, string output) = await RunAsync(fileName, arguments, workingDirectory, QueryTimeout,
            cancellationToken);
        return exitCode == 0 ? output.Trim() : "unknown";
    }

    /// <summary>Lines of a child's output as error messages quote them, each indented behind a bar.</summary>
    public static string Quote(IEnumerable<string> lines) =>
        string.Join(Environment.NewLine, lines.Select(line => "    | " + line));

    /// <summary>The last <paramref name="count"/> non-empty lines of <paramref name="text"/>, quoted.</summary>
    public static string QuoteLastLines(string text, int count) =>
        Quote(text.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.Length > 0).TakeLast(count));

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
