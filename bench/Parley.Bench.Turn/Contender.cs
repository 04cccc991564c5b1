namespace Parley.Bench.Turn;

/// <summary>
/// One server of the run as the run sees it: its results, and the running server once it answers. It stays in the
/// run until it fails; then it is stopped, and its failure is reported with whatever it had measured.
/// </summary>
internal sealed class Contender(ServerResult result)
{
    public ServerResult Result { get; } = result;

    public string Name => Result.Name;

    /// <summary>Set once the server answers.</summary>
    public ServerUnderTest? Server { get; set; }

    /// <summary>Started, answering, and not failed.</summary>
    public bool IsActive => Server is not null && !Result.Failed;

    /// <summary>Records the failure, says so, and stops the server (its log stays).</summary>
    public void Fail(string during, string message)
    {
        if (Result.Failed)
        {
            return;
        }

        Result.Failure = message;
        Result.FailedDuring = during;
        Console.WriteLine($"  {Name} FAILED during {during}: {message}");
        Server?.Process.Kill();
    }
}
