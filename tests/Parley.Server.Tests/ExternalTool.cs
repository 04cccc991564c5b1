using System.Diagnostics;

namespace Parley.Server.Tests;

/// <summary>
/// Runs a real client program (coturn's turnutils_*) with a time limit. A missing program fails the test with the
/// way to install it, rather than skipping: these tests are the proof that real clients accept Parley.
/// </summary>
internal static class ExternalTool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, TimeSpan timeout, params string[] arguments)
    {
        string? path = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
        Assert.True(path is not null,
            $"{program} is not installed: `apt-get install -y coturn` (bash .ci/run installs everything the tests need).");

        var info = new ProcessStartInfo(path!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, $"{program} timed out after {timeout}:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
