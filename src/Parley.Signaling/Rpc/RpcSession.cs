namespace Parley.Signaling.Rpc;

/// <summary>
/// One client's JSON-RPC session (kurento-jsonrpc's session; OpenVidu's participant private id). It outlives its
/// WebSocket: when the socket drops, frames are kept for the client to collect when it resumes with
/// <c>connect{sessionId}</c> on a new socket; after the reconnection window the participant is evicted.
/// </summary>
public sealed class RpcSession
{
    /// <summary>At most this much is kept for a client that is away or not reading; beyond it, it is evicted.</summary>
    internal const int MaxParkedFrames = 4096;

    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _parked = new();
    private IFrameSink? _sink;

    internal RpcSession(string id, long now)
    {
        Id = id;
        LastPingAt = now;
        DetachedAt = now;
    }

    /// <summary>The private id, a bearer secret: whoever presents it in <c>connect</c> takes this session over.</summary>
    public string Id { get; }

    /// <summary>The connection this client joined as; null before joinRoom and after leaving or eviction.</summary>
    public SessionConnection? Participant { get; internal set; }

    public SignalingSession? Session { get; internal set; }

    /// <summary>The keep-alive interval of the client's first ping (ms); 0 until it sends one.</summary>
    internal long PingIntervalMs { get; set; }

    internal long LastPingAt { get; set; }

    /// <summary>When the last socket went away; null while attached.</summary>
    internal long? DetachedAt { get; private set; }

    /// <summary>After an eviction: when to close the socket if the client has not closed it itself.</summary>
    internal long? CloseAt { get; set; }

    /// <summary>More frames piled up than a client can be expected to catch up on.</summary>
    internal bool Overflowed { get; private set; }

    /// <summary>Sends a frame to the client, or keeps it for the client's return.</summary>
    public void Send(byte[] frame)
    {
        lock (_gate)
        {
            if (_sink is not null && _sink.TrySend(frame))
            {
                return;
            }

            Park(frame);
        }
    }

    /// <summary>
    /// Binds a socket. A socket still bound (a client resuming before its old socket was seen to close) is closed
    /// first and its unsent frames go out on the new one, ahead of everything kept meanwhile, so order is kept.
    /// </summary>
    internal async Task AttachAsync(IFrameSink sink, long now)
    {
        IFrameSink? previous;
        lock (_gate)
        {
            previous = _sink;
            _sink = null; // frames sent meanwhile are parked behind the previous socket's
        }

        if (previous is not null)
        {
            previous.Abort();
            await previous.Completion;
        }

        lock (_gate)
        {
            if (previous is not null)
            {
                Reclaim(previous);
            }

            _sink = sink;
            DetachedAt = null;
            LastPingAt = now;
            while (_parked.TryPeek(out byte[]? frame) && sink.TrySend(frame))
            {
                _parked.Dequeue();
            }
        }
    }

    /// <summary>Unbinds <paramref name="sink"/>, whose writing has ended, if it is still the current socket; its
    /// unsent frames are kept.</summary>
    internal bool Detach(IFrameSink sink, long now)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_sink, sink))
            {
                return false;
            }

            _sink = null;
            DetachedAt = now;
            Reclaim(sink);
            return true;
        }
    }

    /// <summary>Closes the current socket, if any; the session then waits for the client's <c>connect</c>.</summary>
    internal void AbortSocket()
    {
        IFrameSink? sink;
        lock (_gate)
        {
            sink = _sink;
        }

        sink?.Abort();
    }

    /// <summary>Puts a closed socket's unsent frames back, ahead of those parked after it stopped taking more.</summary>
    private void Reclaim(IFrameSink sink)
    {
        IReadOnlyList<byte[]> unsent = sink.TakeUnsent();
        if (unsent.Count == 0)
        {
            return;
        }

        byte[][] later = [.. _parked];
        _parked.Clear();
        foreach (byte[] frame in unsent.Concat(later))
        {
            Park(frame);
        }
    }

    private void Park(byte[] frame)
    {
        if (_parked.Count >= MaxParkedFrames)
        {
            Overflowed = true;
            return;
        }

        _parked.Enqueue(frame);
    }
}
