using System.Globalization;

namespace Parley.Bench.Signaling;

/// <summary>How the load generator drives a server; the same for both servers.</summary>
internal sealed record LoadSettings(int Participants, int Senders, int Window, TimeSpan Duration, TimeSpan Warmup)
{
    /// <summary>How often each client pings, as openvidu-browser does (its first ping announces it).</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long every join, and the end of a round (answers and deliveries outstanding), may take.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(15);
}

/// <summary>The command line.</summary>
internal sealed record Options
{
    public const string Usage = """
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
          --no-build           run the existing Release build of src/Parley.Server instead of building it first
          --keep-logs          keep the servers' logs even when all went well (their directory is printed)
          --output PATH        also write the results as JSON to PATH (a full run, without --short or
                               --control, always writes bench/results/signaling-latest.json)
          --help               this text

        Exit code 0: every signal reached every participant in order; 1: a server did not start or died, a join
        failed, or a delivery was missing or out of order; 2: a bad command line. Never because of a figure.
        """;

    public bool Short { get; init; }

    public int Participants { get; init; } = 50;

    public int Senders { get; init; } = 10;

    public int Window { get; init; } = 8;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public int Rounds { get; init; } = 3;

    public bool Control { get; init; }

    public bool NoBuild { get; init; }

    public bool KeepLogs { get; init; }

    public string? Output { get; init; }

    public bool Help { get; init; }

    public LoadSettings Load => new(Participants, Senders, Window, Duration, Warmup);

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        int? participants = null;
        int? senders = null;
        double? duration = null;
        double? warmup = null;
        int? rounds = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--short":
                    options = options with { Short = true };
                    break;
                case "--participants":
                    participants = (int)ParseNumber(arg, Next(args, ref i), 2, 2000);
                    break;
                case "--senders":
                    senders = (int)ParseNumber(arg, Next(args, ref i), 1, 2000);
                    break;
                case "--window":
                    options = options with { Window = (int)ParseNumber(arg, Next(args, ref i), 1, 256) };
                    break;
                case "--duration":
                    duration = ParseNumber(arg, Next(args, ref i), 0.5, 600);
                    break;
                case "--warmup":
                    warmup = ParseNumber(arg, Next(args, ref i), 0, 60);
                    break;
                case "--rounds":
                    rounds = (int)ParseNumber(arg, Next(args, ref i), 1, 20);
                    break;
                case "--control":
                    options = options with { Control = true };
                    break;
                case "--no-build":
                    options = options with { NoBuild = true };
                    break;
                case "--keep-logs":
                    options = options with { KeepLogs = true };
                    break;
                case "--output":
                    options = options with { Output = Next(args, ref i) };
                    break;
                case "--help" or "-h":
                    options = options with { Help = true };
                    break;
                default:
                    throw new BenchmarkException($"unknown option '{arg}' (see --help)");
            }
        }

        options = options with
        {
            Participants = participants ?? (options.Short ? 20 : 50),
            Senders = senders ?? (options.Short ? 4 : 10),
            Duration = TimeSpan.FromSeconds(duration ?? (options.Short ? 3 : 10)),
            Warmup = TimeSpan.FromSeconds(warmup ?? (options.Short ? 1 : 2)),
            Rounds = rounds ?? (options.Short ? 1 : 3),
        };
        if (options.Senders > options.Participants)
        {
            throw new BenchmarkException($"--senders ({options.Senders}) cannot exceed --participants ({options.Participants})");
        }

        return options;
    }

    private static string Next(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new BenchmarkException($"{args[i]} needs a value (see --help)");
        }

        return args[++i];
    }

    private static double ParseNumber(string option, string value, double min, double max)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
            || number < min || number > max)
        {
            throw new BenchmarkException($"{option} takes a number from {min} to {max}, not '{value}'");
        }

        return number;
    }
}
