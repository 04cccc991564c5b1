namespace Parley.Bench.Common;

/// <summary>A failure the benchmark reports in one line and exits non-zero for.</summary>
public sealed class BenchmarkException(string message) : Exception(message);
