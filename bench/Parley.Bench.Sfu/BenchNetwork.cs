using System.Globalization;
using System.Net;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>
/// Where the servers and the load peers talk: by default a network namespace of its own for the servers, joined to
/// this one by a veth pair with addresses from the benchmarking range 198.18.0.0/15 (Janus gathers no candidates on
/// loopback, and every server then runs the same way); with --loopback, 127.0.0.1 and no namespace (no Janus).
/// The namespace and its link are removed on <see cref="DisposeAsync"/>, whatever happened.
/// </summary>
internal sealed class BenchNetwork : IAsyncDisposable
{
    private BenchNetwork(string? ns, string? hostLink, IPAddress server, IPAddress client)
    {
        Namespace = ns;
        _hostLink = hostLink;
        ServerAddress = server;
        ClientAddress = client;
    }

    private readonly string? _hostLink;

    public string? Namespace { get; }

    public IPAddress ServerAddress { get; }

    public IPAddress ClientAddress { get; }

    public static BenchNetwork Loopback() => new(null, null, IPAddress.Loopback, IPAddress.Loopback);

    private const string Prefix = "pbsfu";

    /// <summary>
    /// Creates the namespace and the veth pair (needs root), named after this process, on a subnet chosen from its
    /// id; first removes those of earlier runs whose process is gone (killed with SIGKILL, which no clean-up survives).
    /// </summary>
    public static async Task<BenchNetwork> CreateNamespaceAsync(CancellationToken cancellationToken)
    {
        await RemoveStaleAsync(cancellationToken);
        int id = Environment.ProcessId;
        int subnet = Environment.ProcessId % 64 * 4;
        string ns = $"{Prefix}{id}", host = $"{Prefix}{id}h", inside = $"{Prefix}{id}n";
        var server = IPAddress.Parse($"198.19.{subnet / 256 + 200}.{subnet % 256 + 2}");
        var client = IPAddress.Parse($"198.19.{subnet / 256 + 200}.{subnet % 256 + 1}");
        var network = new BenchNetwork(ns, host, server, client);
        try
        {
            await RunAsync(cancellationToken, "ip", "netns", "add", ns);
            await RunAsync(cancellationToken, "ip", "link", "add", host, "type", "veth", "peer", "name", inside);
            await RunAsync(cancellationToken, "ip", "link", "set", inside, "netns", ns);
            await RunAsync(cancellationToken, "ip", "addr", "add", $"{client}/30", "dev", host);
            await RunAsync(cancellationToken, "ip", "link", "set", host, "up");
            await RunAsync(cancellationToken, "ip", "netns", "exec", ns, "ip", "addr", "add", $"{server}/30", "dev", inside);
            await RunAsync(cancellationToken, "ip", "netns", "exec", ns, "ip", "link", "set", inside, "up");
            await RunAsync(cancellationToken, "ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }

        return network;
    }

    /// <summary>A launch run inside the namespace (ip netns exec execs it: the process id is the server's own).</summary>
    public ServerLaunch Wrap(ServerLaunch launch) => Namespace is null
        ? launch
        : launch with { FileName = "ip", Arguments = ["netns", "exec", Namespace, launch.FileName, .. launch.Arguments] };

    public async ValueTask DisposeAsync()
    {
        if (Namespace is null)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ChildCommand.RunAsync("ip", ["netns", "del", Namespace], "/", TimeSpan.FromSeconds(10), timeout.Token);
        await ChildCommand.RunAsync("ip", ["link", "del", _hostLink!], "/", TimeSpan.FromSeconds(10), timeout.Token);
    }

    private static async Task RemoveStaleAsync(CancellationToken cancellationToken)
    {
        (int exitCode, string output) = await ChildCommand.RunAsync("ip", ["netns", "list"], "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (exitCode != 0)
        {
            return;
        }

        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string name = line.Split(' ')[0];
            if (name.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(name[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && !Directory.Exists($"/proc/{pid}"))
            {
                Console.WriteLine($"removing network namespace {name}, left by an earlier run (process {pid} is gone)");
                await ChildCommand.RunAsync("ip", ["netns", "del", name], "/", TimeSpan.FromSeconds(10), cancellationToken);
                await ChildCommand.RunAsync("ip", ["link", "del", name + "h"], "/", TimeSpan.FromSeconds(10), cancellationToken);
            }
        }
    }

    private static async Task RunAsync(CancellationToken cancellationToken, string file, params string[] arguments)
    {
        (int exitCode, string output) = await ChildCommand.RunAsync(file, arguments, "/", TimeSpan.FromSeconds(10), cancellationToken);
        if (exitCode != 0)
        {
            throw new BenchmarkException(string.Create(CultureInfo.InvariantCulture,
                $"{file} {string.Join(' ', arguments)} failed ({exitCode}): {output.Trim()}"));
        }
    }
}
