using System.Diagnostics;
using Parley.Bench.Common;

namespace Parley.Bench.Signaling;

/// <summary>
/// Paced mode (--paced, --headroom): many sessions, every sender on a timer, Parley and the raw server alternating as
/// in the closed loop. A plain paced run is one rate (rounds as given, 1 by default); a headroom run is one round per
/// server at each rising step, stopping once neither server holds the latency goal. See bench/README.md.
/// </summary>
internal static class PacedRun
{
    public static async Task<int> RunAsync(Options options, IReadOnlyList<Target> targets, string root, string gcSettings,
        DateTimeOffset started, long startedAt, CancellationToken cancellationToken)
    {
        LoadSettings baseLoad = options.Load;
        var plan = new PacedPlan(options.Rate, options.Headroom ? options.Steps : [1], options.Goal, options.Headroom);
        int rounds = options.Headroom ? 1 : options.Common.Rounds;
        Console.WriteLine(PacedReport.Header(baseLoad, rounds, plan));
        var machineLoad = new List<MachineLoad>();
        int round = 0;
        foreach (double step in plan.Steps)
        {
            LoadSettings load = baseLoad with { Rate = options.Rate * step };
            for (int i = 0; i < rounds; i++)
            {
                round++;
                foreach (Target target in targets)
                {
                    RoundResult result = await Program.MeasureAsync(round, target, targets, load, machineLoad, cancellationToken);
                    Console.WriteLine(PacedReport.RoundLine(target.Result, result, plan));
                    Program.PrintErrors(result);
                    await Program.PauseAsync(cancellationToken);
                }
            }

            if (plan.Headroom && targets.All(t => !plan.Holds(t.Result.Rounds[^1])))
            {
                Console.WriteLine($"  neither server holds the goal at x{step}: the search stops here");
                break;
            }
        }

        foreach (Target target in targets)
        {
            target.Result.PeakResidentBytes = ProcStats.ReadPeakResidentBytes(target.Process.Pid);
            target.Result.Threads = ProcStats.ReadThreadCount(target.Process.Pid);
        }

        string revision = await GitRevision.DescribeAsync(root, cancellationToken);
        var info = new RunInfo(baseLoad, rounds, options.Common.Short, Control: false, machineLoad, gcSettings, revision,
            started, Stopwatch.GetElapsedTime(startedAt), plan);
        ServerResult[] results = [.. targets.Select(t => t.Result)];
        Console.WriteLine();
        Console.Write(PacedReport.Format(info, results));

        var outputs = new List<string>();
        if (!options.Common.Short)
        {
            string name = plan.Headroom ? "signaling-headroom-latest.json" : "signaling-paced-latest.json";
            outputs.Add(Path.Combine(root, "bench", "results", name));
        }

        if (options.Common.Output is { } output)
        {
            outputs.Add(Path.GetFullPath(output));
        }

        foreach (string path in outputs)
        {
            ResultsJson.Write(path, info, results);
            Console.WriteLine($"written: {path}");
        }

        long errors = results.Sum(r => r.Errors);
        if (errors != 0)
        {
            Console.WriteLine($"FAILED: {errors:N0} delivery errors (missing, repeated or misordered signals, failed requests, closed sockets)");
            return 1;
        }

        return 0;
    }
}
