using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;
using Parley.Stun;

namespace Parley.Bench.Stun;

/// <summary>The outcome of one open-loop run against one server.</summary>
internal sealed record OpenLoopResult(
    double TargetPerSecond,
    double SentPerSecond,
    long Sent,
    long Answered,
    CounterSnapshot Totals,
    long ServerSocketDrops,
    long ClientSocketDrops,
    TimeSpan ServerCpu,
    TimeSpan Sending)
{
    /// <summary>Requests sent and not validly answered, as a percentage of those sent.</summary>
    public double LossPercent => Sent == 0 ? double.NaN : 100.0 * (Sent - Answered) / Sent;

    /// <summary>Server CPU use while sending, in cores.</summary>
    public double ServerCores => ServerCpu / Sending;
}

/// <summary>
/// Open-loop load: Binding requests at a fixed total rate, whatever the server does, spread over the same number of
/// sockets as the closed loop, driven by a few threads. Every millisecond or so a thread sends, round-robin over its
/// sockets, the requests its share of the rate says are due by then, and takes whatever answers have arrived,
/// without blocking; the threads' ticks are staggered so that their bursts interleave. After the sending interval
/// the threads wait a grace period (the request timeout) for stragglers; loss is what was sent and never validly
/// answered.
/// </summary>
internal static class OpenLoop
{
    public static async Task<OpenLoopResult> RunAsync(StunServer server, double requestsPerSecond, LoadSettings settings,
        CancellationToken cancellationToken)
    {
        int capacity = (int)Math.Min(int.MaxValue - 1,
            (requestsPerSecond / settings.Sockets * settings.Duration.TotalSeconds * 1.05) + 1024);
        var sockets = new OpenLoopSocket[settings.Sockets];
        for (int i = 0; i < sockets.Length; i++)
        {
            sockets[i] = new OpenLoopSocket(server.EndPoint, capacity, i);
        }

        int threadCount = Math.Min(settings.Threads, sockets.Length);
        using var stop = new CancellationTokenSource();
        var threads = new List<Task>();
        try
        {
            int serverPort = server.EndPoint.Port;
            long serverDropsBefore = ProcStats.ReadUdpDrops(serverPort);
            long clientDropsBefore = sockets.Sum(s => ProcStats.ReadUdpDrops(s.LocalPort));
            TimeSpan cpuBefore = server.Process.CpuTime;

            long start = Stopwatch.GetTimestamp();
            long tick = Stopwatch.Frequency / 1000;
            var sendingDone = new List<Task>();
            for (int t = 0; t < threadCount; t++)
            {
                OpenLoopSocket[] mine = [.. sockets.Where((_, i) => i % threadCount == t)];
                var driver = new OpenLoopDriver(mine, requestsPerSecond * mine.Length / sockets.Length);
                long phase = start + (tick * t / threadCount);
                sendingDone.Add(driver.SendingDone);
                threads.Add(DedicatedThread.Start($"open-loop {t}",
                    () => driver.Run(phase, settings.Duration, settings.RequestTimeout, stop.Token)));
            }

            await Task.Delay(settings.Duration, cancellationToken);
            await Task.WhenAll(sendingDone).WaitAsync(cancellationToken);
            TimeSpan sending = Stopwatch.GetElapsedTime(start);
            TimeSpan cpuAfter = server.Process.CpuTime;

            await Task.WhenAll(threads).WaitAsync(cancellationToken);
            long serverDrops = ProcStats.ReadUdpDrops(serverPort) - serverDropsBefore;
            long clientDrops = sockets.Sum(s => ProcStats.ReadUdpDrops(s.LocalPort)) - clientDropsBefore;

            CounterSnapshot totals = LoadCounters.Sum(sockets.Select(s => s.Counters));
            return new OpenLoopResult(requestsPerSecond, totals.Sent / sending.TotalSeconds, totals.Sent, totals.Answered,
                totals, serverDrops, clientDrops, cpuAfter - cpuBefore, sending);
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
                foreach (OpenLoopSocket socket in sockets)
                {
                    socket.Dispose();
                }
            }
        }
    }
}

/// <summary>The loop one open-loop thread runs over its sockets.</summary>
internal sealed class OpenLoopDriver(OpenLoopSocket[] sockets, double requestsPerSecond)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly TaskCompletionSource _sendingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when this thread has sent its last request (or failed).</summary>
    public Task SendingDone => _sendingDone.Task;

    /// <summary>Sends at the rate from <paramref name="start"/> for <paramref name="duration"/>, receiving
    /// throughout and for <paramref name="grace"/> after.</summary>
    public void Run(long start, TimeSpan duration, TimeSpan grace, CancellationToken stop)
    {
        try
        {
            Loop(start, duration, grace, stop);
        }
        finally
        {
            _sendingDone.TrySetResult(); // also when the loop fails, so that nothing waits for it forever
        }
    }

    private void Loop(long start, TimeSpan duration, TimeSpan grace, CancellationToken stop)
    {
        long sendEnd = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long receiveEnd = sendEnd + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        double perTimestamp = requestsPerSecond / Stopwatch.Frequency;
        long issued = 0;
        bool sending = true;
        while (!stop.IsCancellationRequested)
        {
            long now = Stopwatch.GetTimestamp();
            if (sending)
            {
                long due = (long)((Math.Min(now, sendEnd) - start) * perTimestamp);
                for (; issued < due; issued++)
                {
                    sockets[issued % sockets.Length].SendOne();
                }

                if (now >= sendEnd)
                {
                    sending = false;
                    _sendingDone.TrySetResult();
                }
            }

            foreach (OpenLoopSocket socket in sockets)
            {
                socket.Drain();
            }

            if (now >= receiveEnd)
            {
                return;
            }

            Thread.Sleep(Tick);
        }
    }
}

/// <summary>
/// One socket of the open-loop run, used by one thread only. Transaction ids are a random 64-bit prefix per socket
/// and a 32-bit sequence number, so that an answer is matched (and a duplicate caught) with one array lookup.
/// </summary>
internal sealed class OpenLoopSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly TransportAddress _localAddress;
    private readonly ulong _prefix;
    private readonly bool[] _answered;
    private readonly byte[] _request = new byte[StunWire.RequestBufferLength];
    private readonly byte[] _response = new byte[StunWire.ResponseBufferLength];
    private long _issued;

    public OpenLoopSocket(IPEndPoint server, int capacity, int index)
    {
        _socket = LoadSocket.Open(server);
        _socket.Blocking = false;
        var local = (IPEndPoint)_socket.LocalEndPoint!;
        LocalPort = local.Port;
        _localAddress = TransportAddress.FromIPEndPoint(local);
        _prefix = (ulong)new Random(HashCode.Combine(Environment.TickCount64, index, LocalPort)).NextInt64() << 1;
        _answered = new bool[capacity];
    }

    public int LocalPort { get; }

    public LoadCounters Counters { get; } = new();

    public void Dispose() => _socket.Dispose();

    public void SendOne()
    {
        if (_issued >= _answered.Length)
        {
            return; // sized with a margin for the paced rate: cannot happen
        }

        long sequence = _issued++;
        Span<byte> idBytes = stackalloc byte[TransactionId.Length];
        BinaryPrimitives.WriteUInt64BigEndian(idBytes, _prefix);
        BinaryPrimitives.WriteUInt32BigEndian(idBytes[8..], (uint)sequence);
        int length = StunWire.WriteBindingRequest(_request, TransactionId.Read(idBytes));
        _socket.Send(_request.AsSpan(0, length), SocketFlags.None, out SocketError error);
        if (error == SocketError.Success)
        {
            Counters.AddSent();
        }
        else
        {
            Counters.AddFault(Fault.SendFailed);
        }
    }

    /// <summary>Takes every answer waiting in the socket's buffer, without blocking.</summary>
    public void Drain()
    {
        Span<byte> idBytes = stackalloc byte[TransactionId.Length];
        while (true)
        {
            int received = _socket.Receive(_response, SocketFlags.None, out SocketError error);
            if (error != SocketError.Success)
            {
                return; // WouldBlock: nothing more for now (or an ICMP error, which the next tick clears)
            }

            Fault? fault = StunWire.CheckBindingResponse(_response.AsMemory(0, received), _localAddress,
                out TransactionId id, out _);
            if (fault is { } f)
            {
                Counters.AddFault(f);
                continue;
            }

            id.WriteTo(idBytes);
            long sequence = BinaryPrimitives.ReadUInt32BigEndian(idBytes[8..]);
            if (BinaryPrimitives.ReadUInt64BigEndian(idBytes) == _prefix && sequence < _issued && !_answered[sequence])
            {
                _answered[sequence] = true;
                Counters.AddAnswered();
            }
            else
            {
                Counters.AddFault(Fault.UnknownTransaction);
            }
        }
    }
}
