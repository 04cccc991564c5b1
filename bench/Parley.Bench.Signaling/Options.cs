using Parley.Bench.Common;

namespace Parley.Bench.Signaling;

/// <summary>How the load generator drives a server; the same for both servers.</summary>
/// <param name="Sessions">Sessions, each with <paramref name="Participants"/> clients; a signal goes to its own session.</param>
/// <param name="Rate">Signals per second each sender sends, paced by a timer; null for the closed loop (flat out).</param>
internal sealed record LoadSettings(int Participants, int Senders, int Window, TimeSpan Duration, TimeSpan Warmup,
    int Sessions = 1, double? Rate = null)
{
    /// <summary>The signals per second all senders together are asked for, in paced mode.</summary>
    public double? TargetSignalsPerSecond => Rate * Senders * Sessions;

    /// <summary>How often each client pings, as openvidu-browser does (its first ping announces it).</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long every join, and the end of a round (answers and deliveries outstanding), may take.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);
}

/// <summary>The command line.</summary>
internal sealed record Options : IBenchmarkOptions<Options>
{
    public static string Usage { get; } = """
        Chat fan-out over OpenVidu's WebSocket JSON-RPC: Parley against a minimal raw WebSocket broadcast server,
        side by side on 127.0.0.1.

        usage: dotnet run -c Release --project bench/Parley.Bench.Signaling -- [options]

          --short              20 participants, 4 senders, 3 s x 1 round (for CI; under 40 s)
          --participants N     WebSocket clients in the session (default 50; 20 with --short)
          --senders S          clients sending chat signals, the first S (default 10; 4 with --short)
          --window W           sendMessage requests outstanding per sender (default 8)
          --duration SECONDS   measured seconds per round (default 10; 3 with --short)
          --warmup SECONDS     seconds of load before each measurement (default 2; 1 with --short)
          --rounds N           rounds per server, alternating raw, parley, raw, parley... (default 3; 1 with --short)
          --control            run the raw server in Parley's place too (raw against raw: the ratios should be ~1)
          --paced              the load of issue 3 instead: --sessions sessions of --participants clients, every
                               client sending --rate signals/s to its own session, paced by a timer; 60 s after
                               warm-up, 1 round per server (defaults 50 x 10 x 5/s; 10 x 10 x 5/s for 5 s with --short)
          --sessions N         sessions in paced mode (default 50; 10 with --short)
          --rate R             signals per second per sender in paced mode (default 5)
          --headroom           paced mode at increasing rates (--steps, 10 s each): the largest rate at which each
                               server's p99 stays under --goal
          --steps LIST         headroom multipliers of --rate, comma-separated (default 1,2,4,8,16,32)
          --goal MS            the p99 latency goal in ms for the headroom search (default 20)
          --no-build           run the existing Release build of src/Parley.Server instead of building it first
          --keep-logs          keep the servers' logs even when all went well (their directory is printed)
          --output PATH        also write the results as JSON to PATH (a full run, without --short or
                               --control, always writes bench/results/signaling-latest.json, or
                               signaling-paced-latest.json / signaling-headroom-latest.json)
          --help               this text

        Exit code 0: every signal reached every participant in order; 1: a server did not start or died, a join
        failed, or a delivery was missing or out of order; 2: a bad command line. Never because of a figure.
        """;

    /// <summary>--short, --duration, --rounds, --no-build, --keep-logs, --output and --help.</summary>
    public CommonOptions Common { get; init; } = new();

    public int Participants { get; init; } = 50;

    public int Senders { get; init; } = 10;

    public int Window { get; init; } = 8;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public bool Control { get; init; }

    /// <summary>Paced mode (--paced, or --headroom): many sessions, every sender on a timer.</summary>
    public bool Paced { get; init; }

    public int Sessions { get; init; } = 1;

    /// <summary>Signals per second per sender in paced mode.</summary>
    public double Rate { get; init; } = 5;

    public bool Headroom { get; init; }

    /// <summary>The headroom search's multipliers of <see cref="Rate"/>, in increasing order.</summary>
    public IReadOnlyList<double> Steps { get; init; } = [1, 2, 4, 8, 16, 32];

    public TimeSpan Goal { get; init; } = TimeSpan.FromMilliseconds(20);

    public LoadSettings Load => new(Participants, Senders, Window, Common.Duration, Warmup, Sessions, Paced ? Rate : null);

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        int? participants = null;
        int? senders = null;
        double? warmup = null;
        int? sessions = null;
        bool paced = false;
        CommonOptions common = CommonOptions.Parse(args, reader =>
        {
            switch (reader.Option)
            {
                case "--participants":
                    participants = reader.ReadCount(2, 2000);
                    return true;
                case "--senders":
                    senders = reader.ReadCount(1, 2000);
                    return true;
                case "--window":
                    options = options with { Window = reader.ReadCount(1, 256) };
                    return true;
                case "--warmup":
                    warmup = reader.ReadNumber(0, 60);
                    return true;
                case "--control":
                    options = options with { Control = true };
                    return true;
                case "--paced":
                    paced = true;
                    return true;
                case "--headroom":
                    paced = true;
                    options = options with { Headroom = true };
                    return true;
                case "--sessions":
                    sessions = reader.ReadCount(1, 1000);
                    return true;
                case "--rate":
                    options = options with { Rate = reader.ReadNumber(0.1, 10_000) };
                    return true;
                case "--steps":
                    options = options with { Steps = ParseSteps(reader.Option, reader.ReadValue()) };
                    return true;
                case "--goal":
                    options = options with { Goal = TimeSpan.FromMilliseconds(reader.ReadNumber(0.1, 10_000)) };
                    return true;
                default:
                    return false;
            }
        });
        if (paced)
        {
            // Paced mode's own defaults: every participant sends; one long round per server, or 10 s per headroom step.
            bool durationGiven = args.Contains("--duration");
            double seconds = options.Headroom ? (common.Short ? 3 : 10) : (common.Short ? 5 : 60);
            options = options with
            {
                Common = common with
                {
                    Duration = durationGiven ? common.Duration : TimeSpan.FromSeconds(seconds),
                    Rounds = args.Contains("--rounds") ? common.Rounds : 1,
                },
                Paced = true,
                Sessions = sessions ?? (common.Short ? 10 : 50),
                Participants = participants ?? 10,
                Senders = senders ?? participants ?? 10,
                Warmup = TimeSpan.FromSeconds(warmup ?? (common.Short ? 1 : 2)),
            };
        }
        else
        {
            if (sessions is not null || args.Contains("--steps") || args.Contains("--rate") || args.Contains("--goal"))
            {
                throw new BenchmarkException("--sessions, --rate, --steps and --goal go with --paced or --headroom");
            }

            options = options with
            {
                Common = common,
                Participants = participants ?? (common.Short ? 20 : 50),
                Senders = senders ?? (common.Short ? 4 : 10),
                Warmup = TimeSpan.FromSeconds(warmup ?? (common.Short ? 1 : 2)),
            };
        }

        if (options.Paced && options.Control)
        {
            throw new BenchmarkException("--control does not go with --paced or --headroom");
        }
        if (options.Senders > options.Participants)
        {
            throw new BenchmarkException($"--senders ({options.Senders}) cannot exceed --participants ({options.Participants})");
        }

        return options;
    }

    private static double[] ParseSteps(string option, string value)
    {
        var steps = new List<double>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double step)
                || step <= 0 || step > 1000)
            {
                throw new BenchmarkException($"{option} takes multipliers from 0 to 1000 separated by commas, not '{value}'");
            }

            steps.Add(step);
        }

        if (steps.Count == 0)
        {
            throw new BenchmarkException($"{option} needs at least one multiplier");
        }

        return [.. steps.Order()];
    }
}
