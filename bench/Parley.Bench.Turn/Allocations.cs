using System.Diagnostics;
using Parley.Bench.Common;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// Sets up the clients of one run, each with a fresh socket, credentials and allocation, and a channel (or a
/// permission) to its echo socket; and releases them at the end. The transactions block (see
/// <see cref="StunExchange"/>), so 16 threads of their own share the clients.
/// </summary>
internal static class Allocations
{
    private const int Workers = 16;

    /// <summary>
    /// The clients, ready for the load (sockets connected and non-blocking), and how long the set-up took. Fails,
    /// with the first client's problem and how many had one, when any client cannot be set up.
    /// </summary>
    public static async Task<(RelayClient[] Clients, TimeSpan SetupTime)> SetUpAsync(ServerUnderTest server,
        EchoPeer peer, LoadSettings settings, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        DateTimeOffset expiry = DateTimeOffset.UtcNow.AddDays(1);
        var clients = new RelayClient?[settings.Clients];
        var problems = new string?[settings.Clients];
        try
        {
            await ForEachAsync(settings.Clients, "set-up", i =>
            {
                (clients[i], problems[i]) = SetUpOne(i, server, peer, settings, expiry, cancellationToken);
            });
        }
        catch
        {
            DisposeAll(clients);
            throw;
        }

        int failed = problems.Count(p => p is not null);
        if (failed > 0)
        {
            DisposeAll(clients);
            int first = Array.FindIndex(problems, p => p is not null);
            throw new BenchmarkException(
                $"TURN set-up failed for {failed} of {settings.Clients} clients; client {first}: {problems[first]}");
        }

        return ([.. clients.Select(c => c!)], Stopwatch.GetElapsedTime(start));
    }

    /// <summary>
    /// Releases every allocation (Refresh with LIFETIME 0) and closes the sockets; returns how many releases failed
    /// and the first problem, errors of the run rather than a failure of the server.
    /// </summary>
    public static async Task<ReleaseOutcome> ReleaseAsync(IReadOnlyList<RelayClient> clients,
        CancellationToken cancellationToken)
    {
        var problems = new string?[clients.Count];
        try
        {
            await ForEachAsync(clients.Count, "release", i =>
            {
                try
                {
                    clients[i].Session.Release(cancellationToken);
                }
                catch (BenchmarkException e)
                {
                    problems[i] = e.Message;
                }
            });
        }
        finally
        {
            DisposeAll(clients);
        }

        int failed = problems.Count(p => p is not null);
        int first = Array.FindIndex(problems, p => p is not null);
        return failed == 0 ? ReleaseOutcome.Clean : new ReleaseOutcome(failed, $"client {first}: {problems[first]}");
    }

    private static (RelayClient? Client, string? Problem) SetUpOne(int index, ServerUnderTest server, EchoPeer peer,
        LoadSettings settings, DateTimeOffset expiry, CancellationToken cancellationToken)
    {
        var credentials = RestApiCredentials.Create(server.Secret, $"bench{index}", expiry);
        var session = new TurnSession(server.EndPoint, credentials, server.Realm, server.RelayPorts);
        try
        {
            TransportAddress peerAddress = peer.AddressFor(index);
            session.Allocate(cancellationToken);
            if (settings.Mode == RelayMode.ChannelData)
            {
                session.BindChannel(LoadSettings.Channel, peerAddress, cancellationToken);
            }
            else
            {
                session.CreatePermission(peerAddress, cancellationToken);
            }

            session.PrepareForLoad();
            return (new RelayClient(index, session,
                IRelayFraming.Create(settings.Mode, index, settings.PayloadSize, peerAddress)), null);
        }
        catch (BenchmarkException e)
        {
            session.Dispose();
            return (null, e.Message);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="body"/> for 0 to <paramref name="count"/> - 1 on up to 16 threads.</summary>
    private static Task ForEachAsync(int count, string name, Action<int> body)
    {
        int workers = Math.Min(Workers, count);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(w => DedicatedThread.Start($"{name} {w}", () =>
        {
            for (int i = w; i < count; i += workers)
            {
                body(i);
            }
        })));
    }

    private static void DisposeAll(IEnumerable<RelayClient?> clients)
    {
        foreach (RelayClient? client in clients)
        {
            client?.Dispose();
        }
    }
}
