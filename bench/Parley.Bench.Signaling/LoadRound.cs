using System.Diagnostics;
using System.Text;
using Parley.Bench.Common;

namespace Parley.Bench.Signaling;

/// <summary>A server under test: its process, where it listens, and whether it is an OpenVidu server (tokens come
/// from its REST API) or the raw peer (which takes any token).</summary>
internal sealed record Target(string Name, ServerProcess Process, Uri HttpUri, bool OpenVidu, ServerResult Result);

/// <summary>
/// One round against one server: N clients join each session (one, or many in paced mode), S of them send chat
/// signals for warm-up + duration (flat out, or paced by a timer), then everything outstanding is waited for and
/// checked: every client must have every signal of every sender of its session, in order. Counters, CPU and the machine's load are read at the start and end of the measured interval.
/// </summary>
internal static class LoadRound
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    public static async Task<RoundResult> RunAsync(int round, Target target, IReadOnlyList<Target> all, LoadSettings load,
        List<MachineLoad> machineLoad, CancellationToken abort)
    {
        var sessions = new List<Session>(load.Sessions);
        var clients = new List<ChatClient>(load.Sessions * load.Participants);
        using var stopPinging = CancellationTokenSource.CreateLinkedTokenSource(abort);
        Task pinging = Task.CompletedTask;
        try
        {
            long joinStart = Stopwatch.GetTimestamp();
            for (int s = 0; s < load.Sessions; s++)
            {
                var session = new Session(new RoundPlan(load.Senders));
                sessions.Add(session);
                await JoinAllAsync(round, s, target, load, session, clients, abort);
            }

            TimeSpan joinTime = Stopwatch.GetElapsedTime(joinStart);
            long? residentJoined = ProcStats.ReadResidentBytes(target.Process.Pid);
            pinging = PingLoopAsync(clients, stopPinging.Token);

            long start = Stopwatch.GetTimestamp();
            long windowStart = start + (long)(load.Warmup.TotalSeconds * Stopwatch.Frequency);
            long windowEnd = windowStart + (long)(load.Duration.TotalSeconds * Stopwatch.Frequency);
            foreach (Session session in sessions)
            {
                session.Plan.WindowStart = windowStart;
                session.Plan.WindowEnd = windowEnd;
            }

            ChatClient[] senders = [.. clients.Where(c => c.SenderIndex >= 0)];
            using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(abort);
            Task[] sending = load.Rate is { } rate
                ? [.. senders.Select((c, i) => c.PacedSendLoopAsync(TimeSpan.FromSeconds(1 / rate),
                    TimeSpan.FromSeconds(i / rate / senders.Length), stopSending.Token, abort))]
                : [.. senders.Select(c => c.SendLoopAsync(stopSending.Token, abort))];

            await DelayUntilAsync(windowStart, abort);
            Snapshot first = Snapshot.Take(all, clients);
            await DelayUntilAsync(windowEnd, abort);
            Snapshot last = Snapshot.Take(all, clients);
            await stopSending.CancelAsync();
            await Task.WhenAll(sending);

            // Every request answered and every signal delivered, or the time is up. Sockets that ended are failures
            // of their own, reported below; the others still get everything.
            bool done = await WaitForAsync(() => senders.All(s => s.HasEnded || s.Outstanding == 0) && sessions.Sum(Missing) == 0,
                LoadSettings.StepTimeout, abort);
            long? residentAfter = ProcStats.ReadResidentBytes(target.Process.Pid);

            var cpu = new CpuInterval(first.Cpu, last.Cpu);
            TimeSpan measured = cpu.Elapsed;
            int measuredIndex = IndexOf(all, target);
            for (int i = 0; i < all.Count; i++)
            {
                if (i != measuredIndex)
                {
                    all[i].Result.IdleCpu.Add(cpu.ServerCpu(i), measured);
                }
            }

            machineLoad.Add(cpu.ToMachineLoad($"round {round} {target.Name}"));

            var latency = new LatencyHistogram();
            foreach (ChatClient c in clients)
            {
                latency.Add(c.Latency);
            }

            long sent = senders.Sum(s => s.Sent);
            long received = clients.Sum(c => c.Delivered);
            List<string> samples = [.. clients.SelectMany(c => c.ErrorSamples).Take(8)];
            long errors = clients.Sum(c => c.Errors);
            if (!done)
            {
                // What was still missing when the waiting stopped: each one a failure, described once.
                errors += sessions.Sum(s => DescribeShortfall(s, samples));
            }

            foreach (ChatClient ended in clients.Where(c => c.HasEnded))
            {
                errors++;
                samples.Add($"client {ended.Index}: its socket ended during the round: {ended.Ended}");
            }

            return new RoundResult
            {
                Round = round,
                JoinTime = joinTime,
                Measured = measured,
                Signals = last.Accepted - first.Accepted,
                Deliveries = last.Delivered - first.Delivered,
                P50Microseconds = latency.Percentile(50),
                P90Microseconds = latency.Percentile(90),
                P99Microseconds = latency.Percentile(99),
                MaxMicroseconds = latency.Count == 0 ? double.NaN : latency.MaxMicroseconds,
                ServerCpu = cpu.ServerCpu(measuredIndex),
                ClientCpu = cpu.OwnCpu,
                ClientAllocatedBytes = last.OwnAllocated - first.OwnAllocated,
                SignalsSent = sent,
                DeliveriesExpected = sessions.Sum(s => s.Senders.Sum(c => c.Sent) * s.Clients.Count),
                DeliveriesReceived = received,
                LatePongs = clients.Sum(c => c.LatePongs),
                OtherNotifications = clients.Sum(c => c.OtherNotifications),
                Errors = errors,
                ErrorSamples = samples,
                ResidentJoinedBytes = residentJoined,
                ResidentAfterBytes = residentAfter,
                TargetSignalsPerSecond = load.TargetSignalsPerSecond,
            };
        }
        finally
        {
            await stopPinging.CancelAsync();
            await pinging;
            await Task.WhenAll(clients.Select(c => c.CloseAsync(CloseTimeout)));
            foreach (ChatClient c in clients)
            {
                await c.DisposeAsync();
            }
        }
    }

    /// <summary>Connects and joins one session's clients one after the other, as people arrive: each first pings
    /// (announcing the interval), then joins with its token. The first <see cref="LoadSettings.Senders"/> are the
    /// senders. The raw server's session is named in the URL (it keeps one room per name).</summary>
    private static async Task JoinAllAsync(int round, int sessionIndex, Target target, LoadSettings load, Session session,
        List<ChatClient> clients, CancellationToken abort)
    {
        RoundPlan plan = session.Plan;
        string sessionId;
        var tokens = new List<string>(load.Participants);
        if (target.OpenVidu)
        {
            using var rest = new OpenViduRest(target.HttpUri);
            sessionId = await rest.CreateSessionAsync(abort);
            for (int i = 0; i < load.Participants; i++)
            {
                tokens.Add(await rest.CreateTokenAsync(sessionId, abort));
            }
        }
        else
        {
            sessionId = load.Sessions == 1 ? "raw" : $"raw-{round}-{sessionIndex}";
            tokens.AddRange(Enumerable.Range(0, load.Participants).Select(i => $"raw-token-{i}"));
        }

        var socketUri = new UriBuilder(target.HttpUri)
        {
            Scheme = target.HttpUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Path = "/openvidu",
            Query = "sessionId=" + Uri.EscapeDataString(sessionId),
        }.Uri;
        for (int i = 0; i < load.Participants; i++)
        {
            int senderIndex = i < load.Senders ? i : -1;
            var client = new ChatClient(clients.Count, senderIndex, load.Window, plan);
            clients.Add(client);
            session.Clients.Add(client);
            try
            {
                await client.ConnectAsync(socketUri, abort);
            }
            catch (System.Net.WebSockets.WebSocketException e)
            {
                throw new BenchmarkException($"{target.Name}: client {i} could not open {socketUri}: {e.Message}");
            }

            await client.PingAsync(abort);
            string connectionId;
            try
            {
                connectionId = await client.JoinAsync(tokens[i], sessionId, LoadSettings.StepTimeout, abort);
            }
            catch (BenchmarkException e)
            {
                throw new BenchmarkException($"{target.Name}: {e.Message}");
            }

            if (senderIndex >= 0)
            {
                plan.SenderIds[senderIndex] = Encoding.UTF8.GetBytes(connectionId);
            }
        }
    }

    /// <summary>Pings every client every 5 s, as openvidu-browser does; the first pings went out with the joins.</summary>
    private static async Task PingLoopAsync(List<ChatClient> clients, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LoadSettings.PingInterval, stop);
                foreach (ChatClient client in clients)
                {
                    if (!client.HasEnded)
                    {
                        await client.PingAsync(stop);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The round is over.
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            // A socket failed; its receive loop reports it, and the delivery check fails the round.
        }
    }

    /// <summary>Deliveries still missing in a session: for every client whose socket is open and every sender, the
    /// sender's signals not yet received.</summary>
    private static long Missing(Session session)
    {
        long missing = 0;
        foreach (ChatClient sender in session.Senders)
        {
            long expected = Expected(sender);
            foreach (ChatClient client in session.Clients)
            {
                if (!client.HasEnded)
                {
                    missing += Math.Max(0, expected - client.ReceivedFrom(sender.SenderIndex));
                }
            }
        }

        return missing;
    }

    /// <summary>The signals of <paramref name="sender"/> everyone must get: all it sent, or, when its socket ended,
    /// those the server answered (in order, so the first ones), since only those surely reached it.</summary>
    private static long Expected(ChatClient sender) => sender.HasEnded ? sender.Accepted : sender.Sent;

    private static long DescribeShortfall(Session session, List<string> samples)
    {
        List<ChatClient> clients = session.Clients;
        ChatClient[] senders = session.Senders;
        long failures = 0;
        foreach (ChatClient sender in senders.Where(s => !s.HasEnded && s.Outstanding > 0))
        {
            failures++;
            samples.Add($"client {sender.Index}: {sender.Outstanding} sendMessage request(s) never answered");
        }

        foreach (ChatClient client in clients.Where(c => !c.HasEnded))
        {
            foreach (ChatClient sender in senders)
            {
                long got = client.ReceivedFrom(sender.SenderIndex);
                long expected = Expected(sender);
                if (got < expected)
                {
                    failures++;
                    if (samples.Count < 16)
                    {
                        samples.Add($"client {client.Index}: got {got:N0} of the {expected:N0} signals of sender {sender.SenderIndex}");
                    }
                }
            }
        }

        return failures;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (true) or the time is up (false).</summary>
    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) > timeout)
            {
                return condition();
            }

            await Task.Delay(Poll, cancellationToken);
        }

        return true;
    }

    private static async Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        long remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), cancellationToken);
        }
    }

    private static int IndexOf(IReadOnlyList<Target> all, Target target)
    {
        for (int i = 0; i < all.Count; i++)
        {
            if (all[i] == target)
            {
                return i;
            }
        }

        throw new InvalidOperationException("the measured server is not among the servers");
    }

    /// <summary>One session of the round: its clients, and what they share.</summary>
    private sealed class Session(RoundPlan plan)
    {
        private ChatClient[]? _senders;

        public RoundPlan Plan { get; } = plan;

        public List<ChatClient> Clients { get; } = [];

        /// <summary>The clients that send, once all have joined.</summary>
        public ChatClient[] Senders => _senders ??= [.. Clients.Where(c => c.SenderIndex >= 0)];
    }

    /// <summary>Counters and CPU times read at one moment, at each end of the measured interval.</summary>
    private sealed record Snapshot(long Accepted, long Delivered, long OwnAllocated, CpuSnapshot Cpu)
    {
        public static Snapshot Take(IReadOnlyList<Target> all, List<ChatClient> clients)
        {
            long accepted = 0;
            long delivered = 0;
            foreach (ChatClient client in clients)
            {
                accepted += client.Accepted;
                delivered += client.Delivered;
            }

            CpuSnapshot cpu = CpuSnapshot.Take([.. all.Select(t => t.Process)]);
            return new Snapshot(accepted, delivered, GC.GetTotalAllocatedBytes(precise: false), cpu);
        }
    }
}
