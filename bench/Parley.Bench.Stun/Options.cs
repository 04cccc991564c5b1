using System.Globalization;

namespace Parley.Bench.Stun;

/// <summary>How the load generator drives a server; the same for both servers.</summary>
internal sealed record LoadSettings(int Sockets, int Window, int Threads, TimeSpan Duration, TimeSpan Warmup,
    TimeSpan RequestTimeout);

/// <summary>The command line.</summary>
internal sealed record Options
{
    public const string Usage = """
        STUN Binding load benchmark: Parley against coturn on 127.0.0.1.

        usage: dotnet run -c Release --project bench/Parley.Bench.Stun -- [options]

          --duration SECONDS   measured seconds per run (default 10; 3 with --short)
          --short              one round per server and 3 s runs, for a quick look
          --rounds N           closed-loop rounds per server, alternating (default 3; 1 with --short)
          --sockets N          client sockets, i.e. UDP flows (default 16)
          --window N           outstanding requests per socket in the closed loop (default 8)
          --threads N          client threads the sockets are shared among (default: one per core)
          --coturn-only        measure coturn alone (no Parley build or run)
          --no-build           run the existing Parley build instead of building it first
          --parley-cmd "CMD"   run CMD as the Parley server instead of Parley.Server.dll; {port} is replaced by the
                               STUN UDP port, {http} by a free TCP port, {dir} by a scratch directory
          --keep-logs          keep the servers' logs even when all went well (their directory is printed)
          --output PATH        where to write the JSON (default bench/results/stun-latest.json)
          --help               this text
        """;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public bool Short { get; init; }

    public int Rounds { get; init; } = 3;

    public int Sockets { get; init; } = 16;

    public int Window { get; init; } = 8;

    public int Threads { get; init; } = Environment.ProcessorCount;

    public bool CoturnOnly { get; init; }

    public bool NoBuild { get; init; }

    public string? ParleyCommand { get; init; }

    public string? Output { get; init; }

    public bool KeepLogs { get; init; }

    public bool Help { get; init; }

    public LoadSettings Load => new(Sockets, Window, Threads, Duration, Warmup: TimeSpan.FromSeconds(1),
        RequestTimeout: TimeSpan.FromSeconds(1));

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        double? duration = null;
        int? rounds = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            switch (arg)
            {
                case "--duration":
                    duration = ParseNumber(arg, Next(args, ref i), 0.5, 600);
                    break;
                case "--short":
                    options = options with { Short = true };
                    break;
                case "--rounds":
                    rounds = (int)ParseNumber(arg, Next(args, ref i), 1, 20);
                    break;
                case "--sockets":
                    options = options with { Sockets = (int)ParseNumber(arg, Next(args, ref i), 1, 1024) };
                    break;
                case "--window":
                    options = options with { Window = (int)ParseNumber(arg, Next(args, ref i), 1, 4096) };
                    break;
                case "--threads":
                    options = options with { Threads = (int)ParseNumber(arg, Next(args, ref i), 1, 64) };
                    break;
                case "--coturn-only":
                    options = options with { CoturnOnly = true };
                    break;
                case "--no-build":
                    options = options with { NoBuild = true };
                    break;
                case "--parley-cmd":
                    options = options with { ParleyCommand = Next(args, ref i) };
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

        return options with
        {
            Duration = TimeSpan.FromSeconds(duration ?? (options.Short ? 3 : 10)),
            Rounds = rounds ?? (options.Short ? 1 : 3),
        };
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
