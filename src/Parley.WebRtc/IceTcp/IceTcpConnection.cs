using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Parley.Stun;
using Parley.WebRtc.Ice;

namespace Parley.WebRtc.IceTcp;

/// <summary>
/// One TCP connection a peer opened to the passive ICE-TCP candidate (RFC 6544), packets framed as RFC 4571 says.
/// It is a candidate path: the first valid connectivity check on it binds it to the check's transport, after which
/// DTLS and SRTP arriving on it go to that transport, and the transport sends on it once the peer nominates it.
/// Anything else on a connection that is not bound, a frame of no known protocol, or an empty or oversized frame
/// closes it. Sending never waits: packets are framed into the connection's queue, one of two pooled buffers that
/// its writer swaps (it writes one while the other fills, everything queued in one send), and dropped once
/// <see cref="MaxQueuedBytes"/> wait (a peer that does not read loses packets, as on a congested UDP path, and holds
/// up nobody else). Nothing is allocated per packet.
/// </summary>
internal sealed class IceTcpConnection : IcePath
{
    /// <summary>The largest packet accepted or sent: more than any RTP packet, DTLS record or check a WebRTC peer
    /// sends (they keep to the path MTU).</summary>
    public const int MaxPacketLength = 8192;

    /// <summary>Framed bytes waiting to be written (besides those being written) past which packets are dropped.</summary>
    public const int MaxQueuedBytes = 64 * 1024;

    private const int ReceiveBufferLength = 64 * 1024;

    private readonly Socket _socket;
    private readonly IceTcpListener _listener;
    private readonly byte[] _response = new byte[IceLiteResponder.MaxResponseLength];
    private readonly ITimer _checkTimeout;

    /// <summary>Rung after a packet is queued; the writer waits on it (one pending ring is enough).</summary>
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private readonly Lock _queueGate = new();
    private byte[]? _queue; // framed packets waiting (rented at the first send)
    private int _queued;
    private byte[]? _spare; // the other buffer, after the writer has written it
    private bool _released;
    private long _droppedPackets;
    private WebRtcTransport? _transport;
    private int _closed;

    internal IceTcpConnection(Socket socket, TransportAddress remote, IceTcpListener listener, TimeSpan checkTimeout, TimeProvider time)
    {
        _socket = socket;
        Remote = remote;
        _listener = listener;
        _checkTimeout = time.CreateTimer(static state => ((IceTcpConnection)state!).OnCheckTimeout(), this, checkTimeout, Timeout.InfiniteTimeSpan);
    }

    public override TransportAddress Remote { get; }

    /// <summary>The transport a valid check bound this connection to; null until then.</summary>
    public WebRtcTransport? Transport => Volatile.Read(ref _transport);

    /// <summary>Unix ms of the last valid check on this connection (its consent, RFC 7675).</summary>
    public long LastCheckAt { get; private set; }

    /// <summary>Packets dropped because the peer did not read fast enough.</summary>
    public long DroppedPackets => Volatile.Read(ref _droppedPackets);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Queues one packet, framed; dropped when the connection is closed or too much waits already.</summary>
    public override void Send(ReadOnlySpan<byte> packet)
    {
        if (packet.Length is 0 or > MaxPacketLength)
        {
            return;
        }

        lock (_queueGate)
        {
            if (_released)
            {
                return;
            }

            if (_queued + Rfc4571Framing.HeaderLength + packet.Length > MaxQueuedBytes)
            {
                Volatile.Write(ref _droppedPackets, _droppedPackets + 1);
                return;
            }

            if (_queue is null)
            {
                _queue = ArrayPool<byte>.Shared.Rent(MaxQueuedBytes); // the first send; the writer rents the other
            }

            _queued += Rfc4571Framing.Write(packet, _queue.AsSpan(_queued));
        }

        _doorbell.Writer.TryWrite(true);
    }

    /// <summary>Reads and writes until either side ends, then unbinds the connection and releases it.</summary>
    internal async Task RunAsync()
    {
        Task writing = WriteLoopAsync();
        await ReadLoopAsync();
        Close();
        await writing;
        _checkTimeout.Dispose();
        _transport?.OnPathClosed(this);
        lock (_queueGate)
        {
            _released = true;
            if (_queue is not null)
            {
                ArrayPool<byte>.Shared.Return(_queue);
            }

            if (_spare is not null)
            {
                ArrayPool<byte>.Shared.Return(_spare);
            }

            (_queue, _spare, _queued) = (null, null, 0);
        }
    }

    /// <summary>Ends the connection: closing the socket ends its reads and writes, and its run then unbinds it from
    /// its transport.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _doorbell.Writer.TryComplete();
        _socket.Dispose();
    }

    private void OnCheckTimeout()
    {
        if (Transport is null)
        {
            _listener.OnUnchecked(this);
            Close();
        }
    }

    private async Task ReadLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferLength);
        int start = 0;
        int end = 0;
        try
        {
            while (!IsClosed)
            {
                if (buffer.Length - end < Rfc4571Framing.HeaderLength + MaxPacketLength)
                {
                    // Move the partial frame to the front so that a whole frame fits after it.
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                int received = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None);
                if (received == 0)
                {
                    return; // the peer closed
                }

                end += received;
                while (!IsClosed)
                {
                    FrameStatus status = Rfc4571Framing.TryRead(buffer.AsSpan(start, end - start), MaxPacketLength, out int length);
                    if (status == FrameStatus.Incomplete)
                    {
                        break;
                    }

                    if (status == FrameStatus.Invalid || !Dispatch(buffer.AsMemory(start + Rfc4571Framing.HeaderLength, length)))
                    {
                        _listener.OnJunk(this);
                        return;
                    }

                    start += Rfc4571Framing.HeaderLength + length;
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closed by this side, or reset by the peer
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Handles one packet, serialised with every other receive of the media port; false when it is junk and
    /// the connection must close.</summary>
    private bool Dispatch(Memory<byte> packet)
    {
        lock (_listener.ReceiveGate)
        {
            WebRtcTransport? bound = _transport;
            switch (packet.Span[0])
            {
                case <= 3: // STUN
                    int length = _listener.Ice.Answer(packet, Remote, _response, out IIceLiteEndpoint? endpoint, out bool nominated);
                    if (endpoint is WebRtcTransport checkedFor)
                    {
                        if (bound is null)
                        {
                            bound = checkedFor;
                            Volatile.Write(ref _transport, checkedFor);
                            _checkTimeout.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                            if (checkedFor.Closed.IsCompleted)
                            {
                                return false; // the transport closed while its check was handled
                            }
                        }
                        else if (!ReferenceEquals(bound, checkedFor))
                        {
                            return true; // one connection serves one transport: a check for another is not answered
                        }

                        LastCheckAt = _listener.Now;
                        checkedFor.OnValidCheck(this, nominated);
                    }

                    if (length > 0)
                    {
                        Send(_response.AsSpan(0, length));
                    }

                    // A STUN message that is not even answerable, on a connection no check has bound, is junk.
                    return length > 0 || bound is not null;
                case >= 20 and <= 63: // DTLS
                    bound?.OnDtls(packet.Span);
                    return bound is not null;
                case >= 128 and <= 191: // RTP and RTCP
                    bound?.OnMedia(packet.Span);
                    return bound is not null;
                default:
                    return false;
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _doorbell.Reader.WaitToReadAsync())
            {
                _doorbell.Reader.TryRead(out _);
                while (TakeQueue(out byte[]? batch, out int length))
                {
                    try
                    {
                        for (int sent = 0; sent < length;)
                        {
                            sent += await _socket.SendAsync(batch.AsMemory(sent, length - sent), SocketFlags.None);
                        }
                    }
                    finally
                    {
                        lock (_queueGate)
                        {
                            if (_released)
                            {
                                ArrayPool<byte>.Shared.Return(batch);
                            }
                            else
                            {
                                _spare = batch;
                            }
                        }
                    }
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closed by this side, or the peer went away
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Takes what is queued for writing, leaving the spare buffer to fill meanwhile: the first take rents
    /// it (on the writer's thread), so that senders find a buffer from then on and never rent one themselves.</summary>
    private bool TakeQueue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? batch, out int length)
    {
        lock (_queueGate)
        {
            batch = _queue;
            length = _queued;
            if (batch is null || length == 0 || _released || IsClosed)
            {
                batch = null;
                return false;
            }

            (_queue, _spare, _queued) = (_spare ?? ArrayPool<byte>.Shared.Rent(MaxQueuedBytes), null, 0);
            return true;
        }
    }
}
