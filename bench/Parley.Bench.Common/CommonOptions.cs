namespace Parley.Bench.Common;

/// <summary>
/// The options every benchmark takes: --short, --duration, --rounds, --no-build, --keep-logs, --output and --help.
/// Each benchmark's usage text describes them in its own words.
/// </summary>
public sealed record CommonOptions
{
    /// <summary>A quick run: 3 s instead of 10 s, 1 round instead of 3, unless given.</summary>
    public bool Short { get; init; }

    /// <summary>Measured time per run (--duration, 0.5 to 600 s).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rounds per server, alternating (--rounds, 1 to 20).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Run the existing Release build of src/Parley.Server instead of building it first.</summary>
    public bool NoBuild { get; init; }

    /// <summary>Keep the servers' logs even when all went well.</summary>
    public bool KeepLogs { get; init; }

    /// <summary>Where to write the JSON, if given.</summary>
    public string? Output { get; init; }

    public bool Help { get; init; }

    /// <summary>
    /// Reads the command line: the common options here, every other one through <paramref name="readOther"/>, which
    /// reads the option at hand (and its value) and returns true, or returns false for one it does not know either.
    /// </summary>
    public static CommonOptions Parse(IReadOnlyList<string> args, Func<CommandLineReader, bool> readOther)
    {
        var options = new CommonOptions();
        double? duration = null;
        int? rounds = null;
        var reader = new CommandLineReader(args);
        while (reader.MoveNext())
        {
            switch (reader.Option)
            {
                case "--short":
                    options = options with { Short = true };
                    break;
                case "--duration":
                    duration = reader.ReadNumber(0.5, 600);
                    break;
                case "--rounds":
                    rounds = reader.ReadCount(1, 20);
                    break;
                case "--no-build":
                    options = options with { NoBuild = true };
                    break;
                case "--keep-logs":
                    options = options with { KeepLogs = true };
                    break;
                case "--output":
                    options = options with { Output = reader.ReadValue() };
                    break;
                case "--help" or "-h":
                    options = options with { Help = true };
                    break;
                default:
                    if (!readOther(reader))
                    {
                        throw reader.Unknown();
                    }

                    break;
            }
        }

        return options with
        {
            Duration = TimeSpan.FromSeconds(duration ?? (options.Short ? 3 : 10)),
            Rounds = rounds ?? (options.Short ? 1 : 3),
        };
    }
}
