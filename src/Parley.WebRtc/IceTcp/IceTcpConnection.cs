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
/// closes it. Sending never waits: packets are framed into pooled buffers and queued for one writer per connection,
/// and dropped once <see cref="MaxQueuedBytes"/> wait (a peer that does not read loses packets, as on a congested
/// UDP path, and holds up nobody else).
/// </summary>
internal sealed class IceTcpConnection : IcePath
{
    /// <summary>The largest packet accepted or sent: more than any RTP packet, DTLS record or check a WebRTC peer
    /// sends (they keep to the path MTU).</summary>
    public const int MaxPacketLength = 8192;

    /// <summary>Framed bytes waiting to be written past which packets are dropped.</summary>
    public const int MaxQueuedBytes = 256 * 1024;

    private const int ReceiveBufferLength = 64 * 1024;
    private const int SendBatchLength = 64 * 1024;

    private readonly Socket _socket;
    private readonly IceTcpListener _listener;
    private readonly CancellationTokenSource _closing = new();
    private readonly Channel<(byte[] Buffer, int Length)> _outgoing =
        Channel.CreateUnbounded<(byte[] Buffer, int Length)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly byte[] _response = new byte[IceLiteResponder.MaxResponseLength];
    private readonly ITimer _checkTimeout;
    private WebRtcTransport? _transport;
    private long _queuedBytes;
    private long _droppedPackets;
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
    public long DroppedPackets => Interlocked.Read(ref _droppedPackets);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Queues one packet, framed; dropped when the connection is closed or too much waits already.</summary>
    public override void Send(ReadOnlySpan<byte> packet)
    {
        if (packet.Length is 0 or > MaxPacketLength)
        {
            return;
        }

        int framed = Rfc4571Framing.HeaderLength + packet.Length;
        if (Interlocked.Add(ref _queuedBytes, framed) > MaxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -framed);
            Interlocked.Increment(ref _droppedPackets);
            return;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(framed);
        Rfc4571Framing.Write(packet, buffer);
        if (!_outgoing.Writer.TryWrite((buffer, framed)))
        {
            Interlocked.Add(ref _queuedBytes, -framed);
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
        _outgoing.Writer.TryComplete();
        while (_outgoing.Reader.TryRead(out (byte[] Buffer, int Length) left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        _socket.Dispose();
    }

    /// <summary>Ends the connection (its run then unbinds it from its transport).</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _outgoing.Writer.TryComplete();
        _closing.Cancel();
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

                int received = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _closing.Token);
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
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
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
        byte[] batch = ArrayPool<byte>.Shared.Rent(SendBatchLength);
        ChannelReader<(byte[] Buffer, int Length)> reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_closing.Token))
            {
                // Coalesce what is queued into one send.
                int filled = 0;
                while (reader.TryPeek(out (byte[] Buffer, int Length) next) && filled + next.Length <= batch.Length
                    && reader.TryRead(out next))
                {
                    next.Buffer.AsSpan(0, next.Length).CopyTo(batch.AsSpan(filled));
                    filled += next.Length;
                    Interlocked.Add(ref _queuedBytes, -next.Length);
                    ArrayPool<byte>.Shared.Return(next.Buffer);
                }

                for (int sent = 0; sent < filled;)
                {
                    sent += await _socket.SendAsync(batch.AsMemory(sent, filled - sent), SocketFlags.None, _closing.Token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // closed by this side, or the peer went away
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            Close();
        }
    }
}
