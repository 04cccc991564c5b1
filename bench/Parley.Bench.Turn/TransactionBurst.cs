using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Parley.Bench.Turn;

/// <summary>
/// Runs one operation (an allocation, a release) on many <see cref="TurnSession"/>s at once, as fast as the server
/// answers: a few threads share a bounded number of transactions in flight, each thread keeping its slots busy
/// (<see cref="TransactionBurstWorker"/>). A slot takes the next session not yet started as soon as its session's
/// operation succeeds or fails; the burst ends when every session has had its turn. The answers are checked by the
/// sessions themselves, as in the blocking set-up (<see cref="TurnSession.Continue"/>).
/// </summary>
internal sealed class TransactionBurst
{
    private readonly IReadOnlyList<TurnSession> _sessions;
    private readonly Func<TurnSession, StunRequest> _begin;
    private readonly bool[] _succeeded;
    private readonly string?[] _problems;
    private int _next = -1;

    private TransactionBurst(IReadOnlyList<TurnSession> sessions, Func<TurnSession, StunRequest> begin)
    {
        _sessions = sessions;
        _begin = begin;
        _succeeded = new bool[sessions.Count];
        _problems = new string?[sessions.Count];
    }

    /// <summary>
    /// Runs <paramref name="begin"/>'s operation on every session, with at most <paramref name="inFlight"/>
    /// transactions at a time on up to <paramref name="threads"/> threads of their own.
    /// </summary>
    public static async Task<TransactionBurstResult> RunAsync(string name, IReadOnlyList<TurnSession> sessions,
        Func<TurnSession, StunRequest> begin, int inFlight, int threads, CancellationToken cancellationToken)
    {
        if (sessions.Count == 0)
        {
            return TransactionBurstResult.Empty;
        }

        var burst = new TransactionBurst(sessions, begin);
        int slots = Math.Min(inFlight, sessions.Count);
        int threadCount = Math.Clamp(threads, 1, slots);
        TransactionBurstWorker[] workers = [.. Enumerable.Range(0, threadCount).Select(t =>
            new TransactionBurstWorker(burst, slots / threadCount + (t < slots % threadCount ? 1 : 0)))];
        long start = Stopwatch.GetTimestamp();
        await Task.WhenAll(workers.Select((w, t) => DedicatedThread.Start($"{name} {t}", () => w.Run(cancellationToken))));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        int first = Array.FindIndex(burst._problems, p => p is not null);
        return new TransactionBurstResult(burst._succeeded, burst._problems.Count(p => p is not null),
            first < 0 ? null : $"client {first}: {burst._problems[first]}", workers.Sum(w => w.Retransmits), elapsed);
    }

    /// <summary>The next session not yet started, and its operation's first request; false when none is left.</summary>
    public bool TryTake([NotNullWhen(true)] out TurnSession? session, out int index,
        [NotNullWhen(true)] out StunRequest? request)
    {
        index = Interlocked.Increment(ref _next);
        if (index >= _sessions.Count)
        {
            session = null;
            request = null;
            return false;
        }

        session = _sessions[index];
        request = _begin(session);
        return true;
    }

    /// <summary>Records the end of session <paramref name="index"/>'s operation (each by one worker only).</summary>
    public void Finish(int index, string? problem)
    {
        _succeeded[index] = problem is null;
        _problems[index] = problem;
    }
}
