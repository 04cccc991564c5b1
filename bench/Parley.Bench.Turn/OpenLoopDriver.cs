using System.Diagnostics;
using System.Net.Sockets;

namespace Parley.Bench.Turn;

/// <summary>
/// The loop of one open-loop thread over its share of the clients: it sends, round-robin over them, the packets its
/// share of the rate says are due by now, then waits with poll(2) until a reply arrives or a millisecond passes,
/// and takes the replies, stamping each as it is read. Under load replies arrive every few tens of microseconds,
/// so sends go out in small steps; an idle thread sends about a millisecond's worth at once. A thread that was
/// descheduled for longer does not make up for it with a burst (which would overflow the server's socket buffer,
/// as no real set of independent clients does): it sends at most 2 ms' worth and skips the rest, which shows as a
/// sent rate below the target.
/// </summary>
internal sealed class OpenLoopDriver(OpenLoopClient[] clients, double packetsPerSecond)
{
    private const int WaitMicroseconds = 1000;
    private const double MaxBurstSeconds = 0.002;

    private readonly TaskCompletionSource _sendingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Round trips of packets sent after the warm-up.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Bytes the thread allocated in its loop: 0 when the packet path allocates nothing.</summary>
    public long AllocatedBytes { get; private set; }

    /// <summary>Packets not sent because the thread fell behind by more than a burst.</summary>
    public long Skipped { get; private set; }

    /// <summary>Completes when this thread has sent its last packet (or failed).</summary>
    public Task SendingDone => _sendingDone.Task;

    /// <summary>
    /// Sends from <paramref name="start"/> to <paramref name="sendEnd"/> and takes replies until
    /// <paramref name="receiveEnd"/> (<see cref="Stopwatch"/> timestamps); round trips of packets sent from
    /// <paramref name="recordFrom"/> on are recorded.
    /// </summary>
    public void Run(long start, long recordFrom, long sendEnd, long receiveEnd, CancellationToken stop)
    {
        try
        {
            Loop(start, recordFrom, sendEnd, receiveEnd, stop);
        }
        finally
        {
            _sendingDone.TrySetResult(); // also when the loop fails, so that nothing waits for it forever
        }
    }

    private void Loop(long start, long recordFrom, long sendEnd, long receiveEnd, CancellationToken stop)
    {
        var bySocket = clients.ToDictionary(c => c.Relay.Socket);
        var ready = new List<Socket>(clients.Length);
        double perTick = packetsPerSecond / Stopwatch.Frequency;
        long maxBurst = Math.Max(1, (long)(packetsPerSecond * MaxBurstSeconds));
        long issued = 0;
        bool sending = true;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        while (!stop.IsCancellationRequested)
        {
            long now = Stopwatch.GetTimestamp();
            if (sending && now >= start)
            {
                long due = (long)((Math.Min(now, sendEnd) - start) * perTick);
                if (due - issued > maxBurst)
                {
                    Skipped += due - issued - maxBurst;
                    issued = due - maxBurst;
                }

                for (; issued < due; issued++)
                {
                    clients[issued % clients.Length].SendNext();
                }

                if (now >= sendEnd)
                {
                    sending = false;
                    _sendingDone.TrySetResult();
                }
            }
            else if (!sending && now >= receiveEnd)
            {
                break;
            }

            ready.Clear();
            foreach (OpenLoopClient client in clients)
            {
                ready.Add(client.Relay.Socket);
            }

            Socket.Select(ready, null, null, WaitMicroseconds);
            foreach (Socket socket in ready)
            {
                bySocket[socket].Drain(Latency, recordFrom);
            }
        }

        AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    }
}
