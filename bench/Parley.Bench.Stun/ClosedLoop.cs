using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;
using Parley.Stun;

namespace Parley.Bench.Stun;

/// <summary>The outcome of one closed-loop run against one server.</summary>
internal sealed record ClosedLoopResult(
    double AnsweredPerSecond,
    long Answered,
    long Lost,
    long Late,
    CounterSnapshot Totals,
    TimeSpan Measured,
    TimeSpan ServerCpu,
    IReadOnlyList<double> BusiestThreadCores)
{
    /// <summary>Server CPU per answered request during the measured interval, in microseconds.</summary>
    public double ServerCpuMicrosecondsPerAnswer => Answered == 0 ? double.NaN : ServerCpu.TotalMicroseconds / Answered;

    /// <summary>Server CPU use during the measured interval, in cores (1.0 = one core fully busy).</summary>
    public double ServerCores => ServerCpu / Measured;
}

/// <summary>
/// Closed-loop load: each of many UDP sockets keeps a fixed window of Binding requests outstanding, sending a new
/// one for every answer and for every request given up on after the timeout; nothing is resent. Answers are counted
/// over the measured interval after a warm-up.
/// <para>
/// Many sockets, because a server that spreads its load over several SO_REUSEPORT sockets, as coturn does (one per
/// thread), gets each client flow hashed to one of them: with a handful of flows, all may land on one socket and
/// leave the server's other threads idle, which real traffic from many clients never does. A few threads serve
/// them, each waiting on its share of the sockets with poll(2) (<see cref="Socket.Select(IList{Socket}, IList{Socket}, IList{Socket}, int)"/>)
/// and then reading the ready ones dry without blocking, so that the client does not have more threads than the
/// machine has cores to compete with the server.
/// </para>
/// </summary>
internal static class ClosedLoop
{
    public static async Task<ClosedLoopResult> RunAsync(StunServer server, LoadSettings settings,
        CancellationToken cancellationToken)
    {
        var clients = new ClosedLoopClient[settings.Sockets];
        for (int i = 0; i < clients.Length; i++)
        {
            clients[i] = new ClosedLoopClient(server.EndPoint, settings.Window, settings.RequestTimeout, i);
        }

        int threadCount = Math.Min(settings.Threads, clients.Length);
        using var stop = new CancellationTokenSource();
        var threads = new List<Task>();
        try
        {
            for (int t = 0; t < threadCount; t++)
            {
                var driver = new ClosedLoopDriver([.. clients.Where((_, i) => i % threadCount == t)]);
                threads.Add(DedicatedThread.Start($"closed-loop {t}", () => driver.Run(stop.Token)));
            }

            await Task.Delay(settings.Warmup, cancellationToken);
            CounterSnapshot before = LoadCounters.Sum(clients.Select(c => c.Counters));
            TimeSpan cpuBefore = server.Process.CpuTime;
            Dictionary<int, TimeSpan> threadsBefore = ProcStats.ReadThreadCpu(server.Process.Pid);
            long start = Stopwatch.GetTimestamp();

            await Task.Delay(settings.Duration, cancellationToken);
            CounterSnapshot after = LoadCounters.Sum(clients.Select(c => c.Counters));
            TimeSpan cpuAfter = server.Process.CpuTime;
            Dictionary<int, TimeSpan> threadsAfter = ProcStats.ReadThreadCpu(server.Process.Pid);
            TimeSpan measured = Stopwatch.GetElapsedTime(start);

            await stop.CancelAsync();
            await Task.WhenAll(threads);
            CounterSnapshot totals = LoadCounters.Sum(clients.Select(c => c.Counters));
            long answered = after.Answered - before.Answered;
            return new ClosedLoopResult(answered / measured.TotalSeconds, answered, after.Lost - before.Lost,
                totals.Late, totals, measured, cpuAfter - cpuBefore,
                ProcStats.BusiestThreads(threadsBefore, threadsAfter, measured, count: 4));
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(threads);
            }
            finally
            {
                foreach (ClosedLoopClient client in clients)
                {
                    client.Dispose();
                }
            }
        }
    }
}

/// <summary>The loop one closed-loop thread runs over its sockets.</summary>
internal sealed class ClosedLoopDriver(ClosedLoopClient[] clients)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    public void Run(CancellationToken stop)
    {
        var bySocket = clients.ToDictionary(c => c.Socket);
        var ready = new List<Socket>(clients.Length);
        long sweepTicks = (long)(SweepInterval.TotalSeconds * Stopwatch.Frequency);
        int waitMicroseconds = (int)SweepInterval.TotalMicroseconds;
        foreach (ClosedLoopClient client in clients)
        {
            client.Refill();
        }

        long nextSweep = Stopwatch.GetTimestamp() + sweepTicks;
        while (!stop.IsCancellationRequested)
        {
            ready.Clear();
            foreach (ClosedLoopClient client in clients)
            {
                ready.Add(client.Socket);
            }

            // Leaves in the list the sockets that have something to read; none after the timeout.
            Socket.Select(ready, null, null, waitMicroseconds);
            foreach (Socket socket in ready)
            {
                bySocket[socket].Drain();
            }

            long now = Stopwatch.GetTimestamp();
            if (now >= nextSweep)
            {
                foreach (ClosedLoopClient client in clients)
                {
                    client.Sweep(now);
                }

                nextSweep = now + sweepTicks;
            }
        }
    }
}

/// <summary>One client socket with its window of outstanding requests; used by one thread only.</summary>
internal sealed class ClosedLoopClient : IDisposable
{
    private readonly TransportAddress _localAddress;
    private readonly int _window;
    private readonly long _timeoutTicks;
    private readonly Random _random;
    private readonly byte[] _request = new byte[StunWire.RequestBufferLength];
    private readonly byte[] _response = new byte[StunWire.ResponseBufferLength];
    private readonly Dictionary<TransactionId, long> _pending;
    private readonly HashSet<TransactionId> _expired = [];
    private readonly List<TransactionId> _sweep = [];

    public ClosedLoopClient(IPEndPoint server, int window, TimeSpan requestTimeout, int index)
    {
        Socket = LoadSocket.Open(server);
        Socket.Blocking = false;
        _localAddress = TransportAddress.FromIPEndPoint((IPEndPoint)Socket.LocalEndPoint!);
        _window = window;
        _timeoutTicks = (long)(requestTimeout.TotalSeconds * Stopwatch.Frequency);
        // Ids need only be unique and unpredictable enough not to collide; a seeded generator keeps the
        // per-request cost off the cryptographic generator.
        _random = new Random(HashCode.Combine(Environment.TickCount64, index, _localAddress));
        _pending = new Dictionary<TransactionId, long>(window * 2);
    }

    public Socket Socket { get; }

    public LoadCounters Counters { get; } = new();

    public void Dispose() => Socket.Dispose();

    /// <summary>Sends requests until the window is full.</summary>
    public void Refill()
    {
        while (_pending.Count < _window)
        {
            SendOne();
        }
    }

    /// <summary>Takes every answer waiting in the socket's buffer, without blocking, sending a request for each.</summary>
    public void Drain()
    {
        while (true)
        {
            int received = Socket.Receive(_response, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
            {
                return; // WouldBlock: nothing more for now (or an ICMP error, whose request will time out)
            }

            Handle(_response.AsMemory(0, received));
        }
    }

    /// <summary>Gives up on requests older than the timeout and refills their slots.</summary>
    public void Sweep(long now)
    {
        _sweep.Clear();
        foreach ((TransactionId id, long sentAt) in _pending)
        {
            if (now - sentAt >= _timeoutTicks)
            {
                _sweep.Add(id);
            }
        }

        foreach (TransactionId id in _sweep)
        {
            _pending.Remove(id);
            _expired.Add(id);
            Counters.AddLost();
        }

        Refill();
    }

    private void Handle(ReadOnlyMemory<byte> datagram)
    {
        Fault? fault = StunWire.CheckBindingResponse(datagram, _localAddress, out TransactionId id, out bool hasId);
        bool wasPending = hasId && _pending.Remove(id);
        if (fault is { } f)
        {
            Counters.AddFault(f);
        }
        else if (wasPending)
        {
            Counters.AddAnswered();
        }
        else if (_expired.Remove(id))
        {
            Counters.AddLate();
        }
        else
        {
            Counters.AddFault(Fault.UnknownTransaction);
        }

        if (wasPending)
        {
            SendOne();
        }
    }

    private void SendOne()
    {
        Span<byte> idBytes = stackalloc byte[TransactionId.Length];
        _random.NextBytes(idBytes);
        var id = TransactionId.Read(idBytes);
        int length = StunWire.WriteBindingRequest(_request, id);
        _pending[id] = Stopwatch.GetTimestamp();
        Socket.Send(_request.AsSpan(0, length), SocketFlags.None, out SocketError error);
        if (error == SocketError.Success)
        {
            Counters.AddSent();
        }
        else
        {
            // Left pending: it will be given up on at the timeout, and its slot refilled then.
            Counters.AddFault(Fault.SendFailed);
        }
    }
}
