using Parley.Bench.Common;

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
          --no-build           run the existing Release build of src/Parley.Server instead of building it first
          --keep-logs          keep the servers' logs even when all went well (their directory is printed)
          --output PATH        also write the results as JSON to PATH (a full run, without --short or
                               --control, always writes bench/results/signaling-latest.json)
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

    public LoadSettings Load => new(Participants, Senders, Window, Common.Duration, Warmup);

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        int? participants = null;
        int? senders = null;
        double? warmup = null;
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
                default:
                    return false;
            }
        });
        options = options with
        {
            Common = common,
            Participants = participants ?? (common.Short ? 20 : 50),
            Senders = senders ?? (common.Short ? 4 : 10),
            Warmup = TimeSpan.FromSeconds(warmup ?? (common.Short ? 1 : 2)),
        };
        if (options.Senders > options.Participants)
        {
            throw new BenchmarkException($"--senders ({options.Senders}) cannot exceed --participants ({options.Participants})");
        }

        return options;
    }
}
