using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>The command line.</summary>
internal sealed record Options : IBenchmarkOptions<Options>
{
    public static string Usage { get; } = """
        TURN relay benchmark: UDP relaying through coturn and Parley on 127.0.0.1, side by side.

        usage: dotnet run -c Release --project bench/Parley.Bench.Turn -- [options]

          --duration SECONDS   measured seconds per run (default 10; 3 with --short)
          --short              one round per server and 3 s runs (what CI runs)
          --rounds N           closed-loop rounds per server, alternating (default 3; 1 with --short)
          --clients N          TURN clients, each with its own UDP socket and allocation (default 32)
          --window N           packets in flight per client in the closed loop (default 8)
          --size BYTES         payload per packet, 24 to 8192 (default 160, an audio packet; 1200 is a video one)
          --send-indications   relay with Send and Data indications (permission by CreatePermission) instead of
                               ChannelData on a bound channel
          --rate N             open-loop round trips per second, all clients together (default: 50% of coturn's
                               closed-loop median)
          --threads N          client threads the clients are shared among, in the load and the allocation phase
                               (default: one per core)
          --peer-threads N     echo peer threads, one UDP socket each (default 1)
          --allocations N      allocations each round of the allocation phase makes and holds at once, 0 to 5000
                               (default 2000; 500 with --short; 0 skips the phase); each server gets twice as many
                               relay ports
          --allocations-in-flight N
                               transactions in flight at once in the allocation phase, on --threads threads
                               (default 64)
          --coturn-only        measure coturn alone (no Parley build or run)
          --control            run a second coturn in Parley's place: every ratio should come out near 1.00x
          --no-build           run the existing Parley build instead of building it first
          --parley-cmd "CMD"   run CMD as the Parley server instead of Parley.Server.dll; {port} is replaced by the
                               UDP port, {http} by a free TCP port, {dir} by a scratch directory, {secret} by the
                               shared secret, {realm} by the realm, {min-port} and {max-port} by the relay range
          --keep-logs          keep the servers' logs even when all went well (their directory is printed)
          --output PATH        where to write the JSON (default bench/results/turn-latest.json, written by full runs
                               with both servers only)
          --help               this text

        Exit code 0: every server set up its allocations, relayed every packet correctly, and made and released every
        allocation of the allocation phase; 1: a server failed (did not build or start, refused the TURN set-up,
        died), relayed something wrongly or refused an allocation or a release; 2: a bad command line.
        """;

    /// <summary>--short, --duration, --rounds, --no-build, --keep-logs, --output and --help.</summary>
    public CommonOptions Common { get; init; } = new();

    public int Clients { get; init; } = 32;

    public int Window { get; init; } = 8;

    public int PayloadSize { get; init; } = 160;

    public RelayMode Mode { get; init; } = RelayMode.ChannelData;

    public double? Rate { get; init; }

    public int ClientThreads { get; init; } = Environment.ProcessorCount;

    public int PeerThreads { get; init; } = 1;

    /// <summary>--allocations; null for the default, which depends on --short.</summary>
    public int? AllocationCount { get; init; }

    public int AllocationsInFlight { get; init; } = 64;

    public bool CoturnOnly { get; init; }

    public bool Control { get; init; }

    public string? ParleyCommand { get; init; }

    public LoadSettings Load => new(Mode, Clients, Window, PayloadSize, ClientThreads, PeerThreads, Common.Duration,
        Warmup: TimeSpan.FromSeconds(1), PacketTimeout: TimeSpan.FromSeconds(1));

    public AllocationSettings Allocations =>
        new(AllocationCount ?? (Common.Short ? 500 : 2000), AllocationsInFlight, ClientThreads);

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        CommonOptions common = CommonOptions.Parse(args, reader =>
        {
            switch (reader.Option)
            {
                case "--clients":
                    options = options with { Clients = reader.ReadCount(1, 1024) };
                    return true;
                case "--window":
                    options = options with { Window = reader.ReadCount(1, 1024) };
                    return true;
                case "--size":
                    options = options with { PayloadSize = reader.ReadCount(RelayPayload.HeaderLength, 8192) };
                    return true;
                case "--send-indications":
                    options = options with { Mode = RelayMode.SendIndication };
                    return true;
                case "--rate":
                    options = options with { Rate = reader.ReadNumber(1, 2_000_000) };
                    return true;
                case "--threads":
                    options = options with { ClientThreads = reader.ReadCount(1, 64) };
                    return true;
                case "--peer-threads":
                    options = options with { PeerThreads = reader.ReadCount(1, 64) };
                    return true;
                case "--allocations":
                    options = options with { AllocationCount = reader.ReadCount(0, 5000) };
                    return true;
                case "--allocations-in-flight":
                    options = options with { AllocationsInFlight = reader.ReadCount(1, 1024) };
                    return true;
                case "--coturn-only":
                    options = options with { CoturnOnly = true };
                    return true;
                case "--control":
                    options = options with { Control = true };
                    return true;
                case "--parley-cmd":
                    options = options with { ParleyCommand = reader.ReadValue() };
                    return true;
                default:
                    return false;
            }
        });
        if (options.CoturnOnly && (options.Control || options.ParleyCommand is not null))
        {
            throw new BenchmarkException("--coturn-only runs no second server: it does not go with --control or --parley-cmd");
        }

        if (options.Control && options.ParleyCommand is not null)
        {
            throw new BenchmarkException("--control and --parley-cmd both say what runs in Parley's place: give one");
        }

        return options with { Common = common };
    }
}
