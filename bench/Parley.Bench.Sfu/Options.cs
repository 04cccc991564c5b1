using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>The command line.</summary>
internal sealed record Options : IBenchmarkOptions<Options>
{
    public static string Usage { get; } = """
        SFU forwarding benchmark: Parley, Janus's videoroom and a raw UDP relay side by side, driven by the same load
        peers (ICE, DTLS-SRTP, synthetic VP8 video at a set bitrate) on this machine.

        usage: dotnet run -c Release --project bench/Parley.Bench.Sfu -- [options]

          --short              CI: 2 publishers x 20 subscribers, 3 s x 1 round per server, no ramp
          --duration SECONDS   measured seconds per round at the fixed load (default 10; 3 with --short)
          --rounds N           measured rounds per server at the fixed load (default 3; 1 with --short)
          --servers LIST       which servers, in order (default raw,parley,janus)
          --publishers N       publishers (default 4; 2 with --short)
          --subscribers N      subscribers at the fixed load, spread evenly over the publishers (default 200; 20
                               with --short)
          --bitrate KBPS       each publisher's video bitrate (default 1500)
          --packet-size BYTES  RTP packet size before SRTP, 100 to 1400 (default 1200)
          --threads N          load generator threads (default 2)
          --ramp / --no-ramp   after the fixed load, add subscribers step by step until loss exceeds 1 % (default:
                               on; off with --short)
          --ramp-step N        subscribers added per ramp step (default 100)
          --ramp-max N         stop the ramp there (default 2000)
          --ramp-duration S    measured seconds per ramp step (default 3)
          --loopback           servers on 127.0.0.1 instead of a network namespace (no root needed; Janus skipped)
          --no-build           run the existing Parley build instead of building it first
          --keep-logs          keep the servers' logs even when all went well (their directory is printed)
          --output PATH        where to write the JSON (default bench/results/sfu-latest.json, full runs only)
          --help               this text

        Exit code 0: every server started and forwarded media; 1: a server did not start, a peer could not connect,
        or no media reached the subscribers; 2: a bad command line. The figures never fail it.
        """;

    public CommonOptions Common { get; init; } = new();

    public IReadOnlyList<string> Servers { get; init; } = ["raw", "parley", "janus"];

    public int? PublisherCount { get; init; }

    public int? SubscriberCount { get; init; }

    public double BitrateKbps { get; init; } = 1500;

    public int PacketSize { get; init; } = 1200;

    public int Threads { get; init; } = 2;

    public bool? Ramp { get; init; }

    public int RampStep { get; init; } = 100;

    public int RampMax { get; init; } = 2000;

    public double RampSeconds { get; init; } = 3;

    public bool Loopback { get; init; }

    public int Publishers => PublisherCount ?? (Common.Short ? 2 : 4);

    public int Subscribers => SubscriberCount ?? (Common.Short ? 20 : 200);

    public bool RunRamp => Ramp ?? !Common.Short;

    public static Options Parse(IReadOnlyList<string> args)
    {
        var options = new Options();
        CommonOptions common = CommonOptions.Parse(args, reader =>
        {
            switch (reader.Option)
            {
                case "--servers":
                    string[] servers = reader.ReadValue().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (servers.Length == 0 || servers.Any(s => s is not ("raw" or "parley" or "janus")))
                    {
                        throw new BenchmarkException("--servers takes a list of raw, parley and janus");
                    }

                    options = options with { Servers = servers };
                    return true;
                case "--publishers":
                    options = options with { PublisherCount = reader.ReadCount(1, 100) };
                    return true;
                case "--subscribers":
                    options = options with { SubscriberCount = reader.ReadCount(1, 5000) };
                    return true;
                case "--bitrate":
                    options = options with { BitrateKbps = reader.ReadNumber(50, 20_000) };
                    return true;
                case "--packet-size":
                    options = options with { PacketSize = reader.ReadCount(100, 1400) };
                    return true;
                case "--threads":
                    options = options with { Threads = reader.ReadCount(1, 16) };
                    return true;
                case "--ramp":
                    options = options with { Ramp = true };
                    return true;
                case "--no-ramp":
                    options = options with { Ramp = false };
                    return true;
                case "--ramp-step":
                    options = options with { RampStep = reader.ReadCount(1, 1000) };
                    return true;
                case "--ramp-max":
                    options = options with { RampMax = reader.ReadCount(1, 10_000) };
                    return true;
                case "--ramp-duration":
                    options = options with { RampSeconds = reader.ReadNumber(1, 60) };
                    return true;
                case "--loopback":
                    options = options with { Loopback = true };
                    return true;
                default:
                    return false;
            }
        });
        return options with { Common = common };
    }
}
