using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Sockets;

namespace Parley.Turn;

/// <summary>
/// Receives peers' datagrams for every UDP allocation on a few threads (one per core), each waiting in its own
/// epoll set and draining the sockets that are ready, as coturn's relay threads do: the datagrams of many
/// allocations are handled per wake-up, with no thread per allocation and no hop through the thread pool.
/// Linux only; elsewhere allocations receive on the socket engine.
/// </summary>
internal sealed class RelayPoller : IDisposable
{
    private const int MaxEvents = 64;
    private const int BatchCapacity = 32;

    private readonly Worker[] _workers;
    private readonly ConcurrentDictionary<ulong, Registration> _registrations = new();
    private readonly TurnCounters _counters;
    private readonly ILogger _logger;
    private long _nextId;
    private int _nextWorker;
    private volatile bool _stopping;

    public RelayPoller(int threads, TurnCounters counters, ILogger logger)
    {
        _counters = counters;
        _logger = logger;
        _workers = new Worker[Math.Max(1, threads)];
        for (int i = 0; i < _workers.Length; i++)
        {
            int epoll = Epoll.Create();
            if (epoll < 0)
            {
                throw new InvalidOperationException($"epoll_create1 failed ({Marshal.GetLastPInvokeError()}).");
            }

            _workers[i] = new Worker(epoll);
            int index = i;
            var thread = new Thread(() => Run(_workers[index])) { IsBackground = true, Name = $"turn-relay-{i}" };
            thread.Start();
        }
    }

    /// <summary>Starts receiving on a relay socket for an allocation; returns the registration to remove.</summary>
    public ulong Add(Allocation allocation, RelayEndpoint relay)
    {
        ulong id = (ulong)Interlocked.Increment(ref _nextId);
        Worker worker = _workers[(int)((uint)Interlocked.Increment(ref _nextWorker) % (uint)_workers.Length)];
        relay.Socket.Blocking = false;
        int fd = (int)relay.Socket.SafeHandle.DangerousGetHandle();
        _registrations[id] = new Registration(allocation, relay, worker, fd);
        if (Epoll.Add(worker.Epoll, fd, id) != 0)
        {
            _registrations.TryRemove(id, out _);
            throw new InvalidOperationException($"epoll_ctl failed ({Marshal.GetLastPInvokeError()}).");
        }

        return id;
    }

    /// <summary>Stops receiving for a registration; call before the socket is closed.</summary>
    public void Remove(ulong id)
    {
        if (_registrations.TryRemove(id, out Registration registration))
        {
            Epoll.Remove(registration.Worker.Epoll, registration.Fd);
        }
    }

    private void Run(Worker worker)
    {
        var events = new Epoll.EventBuffer(MaxEvents);
        using var batch = new SendBatch(BatchCapacity, Allocation.ReceiveBufferBytes, listener: _counters);
        var v4 = new SocketAddress(AddressFamily.InterNetwork);
        var v6 = new SocketAddress(AddressFamily.InterNetworkV6);
        while (!_stopping)
        {
            int ready = Epoll.Wait(worker.Epoll, events, 1000);
            for (int i = 0; i < ready; i++)
            {
                if (!_registrations.TryGetValue(events.Data[i], out Registration registration))
                {
                    continue; // removed meanwhile
                }

                try
                {
                    SocketAddress address = registration.Relay.Family == AddressFamily.InterNetwork ? v4 : v6;
                    registration.Allocation.Drain(registration.Relay, registration.Fd, batch, address);
                }
                catch (Exception e)
                {
                    TurnLog.RelayFailed(_logger, e, registration.Allocation.Client.Remote.ToString());
                }
            }

            batch.Flush();
        }

        Epoll.Close(worker.Epoll);
    }

    public void Dispose() => _stopping = true;

    private sealed record Worker(int Epoll);

    private readonly record struct Registration(Allocation Allocation, RelayEndpoint Relay, Worker Worker, int Fd);
}
