namespace Parley.Bench.Common;

/// <summary>A benchmark's command line, as <see cref="BenchmarkHost"/> reads it.</summary>
public interface IBenchmarkOptions<TSelf>
    where TSelf : IBenchmarkOptions<TSelf>
{
    /// <summary>The --help text.</summary>
    static abstract string Usage { get; }

    /// <summary>The options every benchmark takes.</summary>
    CommonOptions Common { get; }

    /// <summary>Reads the command line; a bad one is a <see cref="BenchmarkException"/>.</summary>
    static abstract TSelf Parse(IReadOnlyList<string> args);
}
