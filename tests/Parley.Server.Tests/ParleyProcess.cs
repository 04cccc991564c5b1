using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Parley.Server.Tests;

/// <summary>
/// Runs the built Parley.Server executable as a separate process with the given settings, and reads from its log
/// the addresses it listens on. Ports are chosen by the kernel (setting 0) so tests can run side by side.
/// </summary>
internal sealed partial class ParleyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _endedStreams;

    private ParleyProcess(Process process) => _process = process;

    public Uri HttpAddress { get; private set; } = null!;

    public List<IPEndPoint> StunUdp { get; } = [];

    public List<IPEndPoint> StunTcp { get; } = [];

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<ParleyProcess> StartAsync(params string[] settings)
    {
        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        string dll = Path.Combine(RepositoryRoot(), "src", "Parley.Server", "bin", configuration, "net10.0", "Parley.Server.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        info.ArgumentList.Add("--Stun:ListeningPort=0");
        info.ArgumentList.Add("--WebRtc:Port=0");
        foreach (string setting in settings)
        {
            info.ArgumentList.Add(setting);
        }

        var parley = new ParleyProcess(Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start"));
        parley._process.OutputDataReceived += (_, e) => parley.OnLine(e.Data);
        parley._process.ErrorDataReceived += (_, e) => parley.OnLine(e.Data);
        parley._process.BeginOutputReadLine();
        parley._process.BeginErrorReadLine();
        try
        {
            await parley._started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await parley.DisposeAsync();
            throw new InvalidOperationException("Parley did not start within 30 s:\n" + parley.Output);
        }

        return parley;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            // stdout and stderr end separately: the exit is reported once both have been read to the end, so the
            // message has everything the process wrote (its error is on stderr).
            if (Interlocked.Increment(ref _endedStreams) == 2)
            {
                _started.TrySetException(new InvalidOperationException("Parley exited:\n" + Output));
            }

            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        Match stun = StunLine().Match(line);
        if (stun.Success)
        {
            (stun.Groups[1].Value == "UDP" ? StunUdp : StunTcp).Add(IPEndPoint.Parse(stun.Groups[2].Value));
        }

        Match http = HttpLine().Match(line);
        if (http.Success)
        {
            HttpAddress = new Uri(http.Groups[1].Value);
            _started.TrySetResult();
        }
    }

    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"STUN listening on (UDP|TCP) (\S+)")]
    private static partial Regex StunLine();

    [GeneratedRegex(@"Now listening on: (http\S+)")]
    private static partial Regex HttpLine();
}
