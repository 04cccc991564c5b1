using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// One thread of a <see cref="TransactionBurst"/>: a few slots, each holding one session's pending request. It waits
/// with poll(2) (<see cref="Socket.Select(System.Collections.IList, System.Collections.IList, System.Collections.IList, int)"/>)
/// until one of its sockets has something to read or a request is due to go again, reads the readable ones without
/// blocking, hands each answer to its session (<see cref="TurnSession.Continue"/>) and sends the request that
/// follows at once. Like <see cref="StunExchange"/>, an unanswered request goes again every 250 ms, 8 times at most,
/// datagrams that answer nothing pending are skipped, and one from anywhere but the server fails the session's
/// operation. Non-blocking sockets and no asynchronous calls (see <see cref="StunExchange"/> for why).
/// </summary>
internal sealed class TransactionBurstWorker
{
    private const int ReceiveBufferLength = 4096;
    private static readonly long RetryTicks = (long)(StunExchange.Interval.TotalSeconds * Stopwatch.Frequency);

    private readonly TransactionBurst _burst;
    private readonly TurnSession?[] _session;
    private readonly int[] _index;
    private readonly StunRequest?[] _request;
    private readonly int[] _attempts;
    private readonly long[] _deadline;
    private readonly Dictionary<Socket, int> _slotBySocket = [];
    private readonly byte[] _buffer = new byte[ReceiveBufferLength];

    public TransactionBurstWorker(TransactionBurst burst, int slots)
    {
        _burst = burst;
        _session = new TurnSession?[slots];
        _index = new int[slots];
        _request = new StunRequest?[slots];
        _attempts = new int[slots];
        _deadline = new long[slots];
    }

    /// <summary>Requests sent again because the first copy went unanswered for 250 ms.</summary>
    public long Retransmits { get; private set; }

    /// <summary>Runs until no session is left to start and every slot's operation has ended.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        var ready = new List<Socket>(_session.Length);
        for (int slot = 0; slot < _session.Length; slot++)
        {
            StartNext(slot);
        }

        while (_slotBySocket.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ready.Clear();
            long earliest = long.MaxValue;
            for (int slot = 0; slot < _session.Length; slot++)
            {
                if (_session[slot] is { } session)
                {
                    ready.Add(session.Socket);
                    earliest = Math.Min(earliest, _deadline[slot]);
                }
            }

            long wait = earliest - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                Socket.Select(ready, null, null, (int)Math.Ceiling(wait * 1_000_000.0 / Stopwatch.Frequency));
                foreach (Socket socket in ready)
                {
                    Drain(_slotBySocket[socket]);
                }
            }

            long now = Stopwatch.GetTimestamp();
            for (int slot = 0; slot < _session.Length; slot++)
            {
                if (_session[slot] is not null && now >= _deadline[slot])
                {
                    SendAgainOrGiveUp(slot);
                }
            }
        }
    }

    /// <summary>Reads every datagram waiting on the slot's socket: the first even if none is (an error may be).</summary>
    private void Drain(int slot)
    {
        TurnSession session = _session[slot]!;
        Socket socket = session.Socket;
        do
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int length;
            try
            {
                length = socket.ReceiveFrom(_buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                End(slot, StunExchange.Refused(session.Server, _request[slot]!).Message);
                return;
            }

            try
            {
                if (!StunExchange.IsAnswer(_buffer.AsSpan(0, length), from, session.Server, _request[slot]!,
                        out StunMessage answer))
                {
                    continue;
                }

                if (session.Continue(answer) is { } next)
                {
                    Send(slot, next);
                }
                else
                {
                    End(slot, problem: null);
                }

                return; // answered: anything still waiting is older than the request now pending
            }
            catch (BenchmarkException e)
            {
                End(slot, e.Message);
                return;
            }
        }
        while (socket.Available > 0);
    }

    private void SendAgainOrGiveUp(int slot)
    {
        if (_attempts[slot] >= StunExchange.Attempts)
        {
            End(slot, StunExchange.NoAnswer(_session[slot]!.Server, _request[slot]!).Message);
            return;
        }

        Retransmits++;
        Transmit(slot);
    }

    /// <summary>Sends the first copy of a request: the next of the slot's session's operation.</summary>
    private void Send(int slot, StunRequest request)
    {
        _request[slot] = request;
        _attempts[slot] = 0;
        Transmit(slot);
    }

    /// <summary>Sends a copy of the slot's request; one that cannot go now is as good as lost, and goes again.</summary>
    private void Transmit(int slot)
    {
        TurnSession session = _session[slot]!;
        _attempts[slot]++;
        _deadline[slot] = Stopwatch.GetTimestamp() + RetryTicks;
        try
        {
            session.Socket.SendTo(_request[slot]!.Datagram, session.Server);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            End(slot, StunExchange.Refused(session.Server, _request[slot]!).Message);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable)
        {
            // Sent again at the deadline.
        }
    }

    /// <summary>Records how the slot's session's operation ended, and starts the next session in the slot.</summary>
    private void End(int slot, string? problem)
    {
        _burst.Finish(_index[slot], problem);
        _slotBySocket.Remove(_session[slot]!.Socket);
        _session[slot] = null;
        _request[slot] = null;
        StartNext(slot);
    }

    private void StartNext(int slot)
    {
        if (!_burst.TryTake(out TurnSession? session, out int index, out StunRequest? request))
        {
            return;
        }

        session.Socket.Blocking = false;
        _session[slot] = session;
        _index[slot] = index;
        _slotBySocket.Add(session.Socket, slot);
        Send(slot, request);
    }
}
