using System.Collections.ObjectModel;

namespace Parley.Bench.Common;

/// <summary>How to start a server: the executable, its arguments, the directory to run it in and extra environment.</summary>
public sealed record ServerLaunch(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>Variables set for the server on top of this process's environment; none unless given.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    public override string ToString() =>
        string.Concat(Environment.Select(e => $"{e.Key}={e.Value} ")) + $"{FileName} {string.Join(' ', Arguments)}";
}
