namespace Parley.Bench.Common;

/// <summary>The revision of Parley a run measured, for the results.</summary>
public static class GitRevision
{
    /// <summary><c>git describe --always --dirty</c> in the repository, or "unknown".</summary>
    public static Task<string> DescribeAsync(string repositoryRoot, CancellationToken cancellationToken) =>
        ChildCommand.QueryAsync("git", ["describe", "--always", "--dirty"], repositoryRoot, cancellationToken);
}
