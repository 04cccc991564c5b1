using Parley.Bench.Common;

namespace Parley.Bench.Stun;

/// <summary>How the load generator drives a server; the same for both servers.</summary>
internal sealed record LoadSettings(int Sockets, int Window, int Threads, TimeSpan Duration, TimeSpan Warmup,
    TimeSpan RequestTimeout);

/// <summary>The command line.</summary>
internal sealed record Options : IBenchmarkOptions<Options>
{
    public static string Usage { get; } = """
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

    /// <summary>--short, --duration, --rounds, --no-build, --keep-logs, --output and --help.</summary>
    public CommonOptions Common { get; init; } = new();

    public int Sockets { get; init; } = 16;

    public int Window { get; init; } = 8;

    public int Threads { get; init; } = Environment.ProcessorCount;

    public bool CoturnOnly { get; init; }

    public string? ParleyCommand { get; init; }

    public LoadSettings Load => new(Sockets, Window, Threads, Common.Duration, Warmup: TimeSpan.FromSeconds(1),
        RequestTimeout: TimeSpan.FromSeconds(1));

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        CommonOptions common = CommonOptions.Parse(args, reader =>
        {
            switch (reader.Option)
            {
                case "--sockets":
                    options = options with { Sockets = reader.ReadCount(1, 1024) };
                    return true;
                case "--window":
                    options = options with { Window = reader.ReadCount(1, 4096) };
                    return true;
                case "--threads":
                    options = options with { Threads = reader.ReadCount(1, 64) };
                    return true;
                case "--coturn-only":
                    options = options with { CoturnOnly = true };
                    return true;
                case "--parley-cmd":
                    options = options with { ParleyCommand = reader.ReadValue() };
                    return true;
                default:
                    return false;
            }
        });
        return options with { Common = common };
    }
}
