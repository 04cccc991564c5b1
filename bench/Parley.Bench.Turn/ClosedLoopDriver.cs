using System.Diagnostics;
using System.Net.Sockets;

namespace Parley.Bench.Turn;

/// <summary>
/// The loop of one closed-loop thread over its share of the clients: it waits with poll(2)
/// (<see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>)
/// until any of their sockets has something to read, reads those dry without blocking, and every 50 ms gives up on
/// packets past the timeout. A few such threads serve many sockets, so that the load generator does not field more
/// busy threads than the machine has cores.
/// </summary>
internal sealed class ClosedLoopDriver(ClosedLoopClient[] clients, RecordingFlag recording)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Round trips recorded while <see cref="RecordingFlag"/> was on.</summary>
    public LatencyHistogram Latency { get; } = new();

    /// <summary>Bytes the thread allocated in its loop: 0 when the packet path allocates nothing.</summary>
    public long AllocatedBytes { get; private set; }

    public void Run(CancellationToken stop)
    {
        var bySocket = clients.ToDictionary(c => c.Relay.Socket);
        var ready = new List<Socket>(clients.Length);
        long sweepTicks = (long)(SweepInterval.TotalSeconds * Stopwatch.Frequency);
        int waitMicroseconds = (int)SweepInterval.TotalMicroseconds;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        foreach (ClosedLoopClient client in clients)
        {
            client.FillWindow();
        }

        long nextSweep = Stopwatch.GetTimestamp() + sweepTicks;
        while (!stop.IsCancellationRequested)
        {
            ready.Clear();
            foreach (ClosedLoopClient client in clients)
            {
                ready.Add(client.Relay.Socket);
            }

            Socket.Select(ready, null, null, waitMicroseconds); // leaves the readable sockets in the list
            bool record = recording.IsOn;
            foreach (Socket socket in ready)
            {
                bySocket[socket].Drain(Latency, record);
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

        AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    }
}
