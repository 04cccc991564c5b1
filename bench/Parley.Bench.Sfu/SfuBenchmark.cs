using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>The whole run: the network, each server in turn on the same load, the report and the JSON.</summary>
internal static class SfuBenchmark
{
    public static async Task<int> RunAsync(Options options, ServerRegistry servers, string scratch, CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        string root = RepositoryRoot.Find();
        List<string> names = [.. options.Servers];
        bool isRoot = Environment.UserName == "root";
        if (!options.Loopback && !isRoot)
        {
            Console.WriteLine("not root: the servers run on 127.0.0.1 (as with --loopback), without Janus");
        }

        bool loopback = options.Loopback || !isRoot;
        if (loopback && names.Remove("janus"))
        {
            Console.WriteLine("janus skipped: it gathers no candidates on loopback (it needs the network namespace)");
        }

        if (names.Contains("janus") && !File.Exists(JanusConfig.Binary))
        {
            names.Remove("janus");
            Console.WriteLine($"janus skipped: {JanusConfig.Binary} is not installed (Debian package janus)");
        }

        ServerLaunch? parley = names.Contains("parley")
            ? (await ParleyServerBuild.PrepareAsync(root, build: !options.Common.NoBuild, cancellationToken)).Launch([])
            : null;
        var certificate = PeerCertificate.Create();
        var results = new List<ServerResult>();
        await using BenchNetwork network = loopback ? BenchNetwork.Loopback() : await BenchNetwork.CreateNamespaceAsync(cancellationToken);
        Console.WriteLine(Report.Header(options, network));
        int exitCode = 0;
        foreach (string name in names)
        {
            ISfuTarget target = name switch
            {
                "raw" => new RawRelayTarget(network, servers, scratch),
                "parley" => new ParleyTarget(parley!, network, servers, scratch) { Certificate = certificate },
                _ => new JanusTarget(network, servers, scratch) { Certificate = certificate },
            };
            try
            {
                ServerResult result = await new SfuRun(target, options, network, certificate).RunAsync(cancellationToken);
                results.Add(result);
                if (result.Error is not null)
                {
                    exitCode = 1;
                }
            }
            catch (BenchmarkException e)
            {
                await Console.Error.WriteLineAsync($"{name}: {e.Message}");
                results.Add(new ServerResult(name) { Error = e.Message });
                exitCode = 1;
            }
        }

        Console.WriteLine();
        Console.WriteLine(Report.Format(options, results));
        string? output = options.Common.Output
            ?? (!options.Common.Short && options.SubscriberCount is null && names.Count == 3 ? Path.Combine(root, "bench", "results", "sfu-latest.json") : null);
        if (output is not null)
        {
            ResultsJson.Write(output, started, options, network, results);
            Console.WriteLine($"results: {output}");
        }

        return exitCode;
    }
}
