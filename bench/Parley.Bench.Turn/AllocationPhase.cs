using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>
/// One round of the allocation phase: fresh clients, each with its own UDP socket and REST API credentials, all
/// allocate as fast as the server answers (<see cref="TransactionBurst"/>: Allocate, 401 with REALM and NONCE,
/// authenticated Allocate, every answer checked as in the set-up of the load's clients); with every allocation held,
/// the server's RSS is read; then all are released (Refresh with LIFETIME 0, checked) and the sockets closed.
/// The sockets and credentials are made before the clock starts.
/// </summary>
internal static class AllocationPhase
{
    /// <summary>
    /// The wait before the RSS is read, with the allocations held and after their release: what the server does
    /// after answering (registering a relay socket with its poller, say) is done by then.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A small unmeasured round (as many allocations as may be in flight, released at once), so that the first
    /// measured round of the first server does not pay for the load generator's compilation of this code, nor a
    /// server for its own. Fails when any allocation or release fails; returns how the allocations went.
    /// </summary>
    public static async Task<TransactionBurstResult> WarmUpAsync(ServerUnderTest server, AllocationSettings settings,
        CancellationToken cancellationToken)
    {
        List<TurnSession> sessions = CreateSessions(server, Math.Min(settings.InFlight, settings.Count), "warm-up");
        try
        {
            TransactionBurstResult allocate = await AllocateAsync(sessions, settings, cancellationToken);
            TransactionBurstResult release = await ReleaseAsync(sessions, allocate, settings, cancellationToken);
            if (allocate.Failed + release.Failed > 0)
            {
                throw new BenchmarkException(
                    $"{allocate.Failed} of {sessions.Count} allocations and {release.Failed} releases failed; {allocate.FirstProblem ?? release.FirstProblem}");
            }

            return allocate;
        }
        finally
        {
            DisposeAll(sessions);
        }
    }

    public static async Task<AllocationRound> RunAsync(ServerUnderTest server, AllocationSettings settings,
        int round, CancellationToken cancellationToken)
    {
        int pid = server.Process.Pid;
        List<TurnSession> sessions = CreateSessions(server, settings.Count, $"round{round}");
        try
        {
            long? residentBefore = ProcStats.ReadResidentBytes(pid);
            TimeSpan cpuBefore = server.Process.CpuTime;
            TimeSpan ownCpuBefore = Environment.CpuUsage.TotalTime;
            TransactionBurstResult allocate = await AllocateAsync(sessions, settings, cancellationToken);
            TimeSpan allocateCpu = server.Process.CpuTime - cpuBefore;
            TimeSpan ownCpu = Environment.CpuUsage.TotalTime - ownCpuBefore;

            await Task.Delay(Settle, cancellationToken);
            long? residentHeld = ProcStats.ReadResidentBytes(pid);

            cpuBefore = server.Process.CpuTime;
            TransactionBurstResult release = await ReleaseAsync(sessions, allocate, settings, cancellationToken);
            TimeSpan releaseCpu = server.Process.CpuTime - cpuBefore;

            await Task.Delay(Settle, cancellationToken);
            return new AllocationRound(settings.Count, allocate, release, residentBefore, residentHeld,
                ProcStats.ReadResidentBytes(pid), allocateCpu, releaseCpu, ownCpu);
        }
        finally
        {
            DisposeAll(sessions);
        }
    }

    /// <summary>Clients with fresh sockets and credentials of their own, valid for a day.</summary>
    private static List<TurnSession> CreateSessions(ServerUnderTest server, int count, string label)
    {
        DateTimeOffset expiry = DateTimeOffset.UtcNow.AddDays(1);
        var sessions = new List<TurnSession>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                var credentials = RestApiCredentials.Create(server.Secret, $"alloc-{label}-{i}", expiry);
                sessions.Add(new TurnSession(server.EndPoint, credentials, server.Realm, server.RelayPorts));
            }
        }
        catch
        {
            DisposeAll(sessions);
            throw;
        }

        return sessions;
    }

    private static Task<TransactionBurstResult> AllocateAsync(List<TurnSession> sessions,
        AllocationSettings settings, CancellationToken cancellationToken) =>
        TransactionBurst.RunAsync("allocate", sessions, s => s.BeginAllocate(), settings.InFlight,
            settings.EffectiveThreads, cancellationToken);

    /// <summary>Releases the allocations that were made.</summary>
    private static Task<TransactionBurstResult> ReleaseAsync(List<TurnSession> sessions,
        TransactionBurstResult allocate, AllocationSettings settings, CancellationToken cancellationToken) =>
        TransactionBurst.RunAsync("release", [.. sessions.Where((_, i) => allocate.Succeeded[i])],
            s => s.BeginRelease(), settings.InFlight, settings.EffectiveThreads, cancellationToken);

    private static void DisposeAll(List<TurnSession> sessions)
    {
        foreach (TurnSession session in sessions)
        {
            session.Dispose();
        }
    }
}
