using System.Buffers;
using System.Threading.Channels;
using Parley.Stun;

namespace Parley.StunServer;

/// <summary>
/// A client's TCP (or TLS) connection to the STUN port, as an <see cref="IStunServerExtension"/> sees it: who is at
/// each end, a way to write to it from any thread without waiting, and a slot for the extension's own state (a TURN
/// allocation). Writes are queued (in pooled buffers) and written in order by one writer; a connection whose peer
/// does not read can hold up nobody but itself.
/// </summary>
public sealed class StunStreamConnection
{
    /// <summary>Queued bytes past which <see cref="TrySendDatagram"/> drops instead of queueing.</summary>
    public const int MaxQueuedDatagramBytes = 1024 * 1024;

    private readonly Stream _stream;
    private readonly CancellationTokenSource _closing;
    private readonly Channel<(byte[] Buffer, int Length)> _outgoing =
        Channel.CreateUnbounded<(byte[] Buffer, int Length)>(new UnboundedChannelOptions { SingleReader = true });
    private long _queuedBytes;
    private volatile bool _closeRequested;

    /// <summary>How long a closing connection may take to write what is queued.</summary>
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    internal StunStreamConnection(Stream stream, TransportAddress remote, TransportAddress local, StunTransport transport,
        CancellationTokenSource closing)
    {
        _stream = stream;
        Remote = remote;
        Local = local;
        Transport = transport;
        _closing = closing;
    }

    public TransportAddress Remote { get; }

    public TransportAddress Local { get; }

    public StunTransport Transport { get; }

    /// <summary>The extension's state for this connection; while it is set, the idle timeout does not apply.</summary>
    public object? State { get; set; }

    /// <summary>Set by the extension while it handles a frame to stop framing after that frame: the listener then
    /// writes out what is queued, hands the stream, the bytes already read past the frame and the connection's
    /// cancellation to this function, and closes the connection when it returns (a TURN data connection of
    /// RFC 6062 becomes a raw byte pipe).</summary>
    public Func<Stream, ReadOnlyMemory<byte>, CancellationToken, Task>? RawHandler { get; set; }

    /// <summary>Queues a message (a response, an indication) to be written whole after those queued before it.
    /// False when the connection is closed.</summary>
    public bool Send(ReadOnlySpan<byte> data) => Enqueue(data, limit: long.MaxValue);

    /// <summary>Queues relayed data unless <see cref="MaxQueuedDatagramBytes"/> are already waiting, in which case it
    /// is dropped, as a congested network drops a datagram. False when dropped or closed.</summary>
    public bool TrySendDatagram(ReadOnlySpan<byte> data) => Enqueue(data, MaxQueuedDatagramBytes);

    private bool Enqueue(ReadOnlySpan<byte> data, long limit)
    {
        if (Interlocked.Read(ref _queuedBytes) + data.Length > limit)
        {
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        Interlocked.Add(ref _queuedBytes, data.Length);
        if (!_outgoing.Writer.TryWrite((buffer, data.Length)))
        {
            Interlocked.Add(ref _queuedBytes, -data.Length);
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        return true;
    }

    /// <summary>Writes what is queued until <see cref="StopWriter"/> or the connection ends; run by the listener.</summary>
    internal async Task RunWriterAsync(CancellationToken cancellation)
    {
        try
        {
            await foreach ((byte[] buffer, int length) in _outgoing.Reader.ReadAllAsync(cancellation))
            {
                try
                {
                    await _stream.WriteAsync(buffer.AsMemory(0, length), cancellation);
                }
                finally
                {
                    Interlocked.Add(ref _queuedBytes, -length);
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException
            or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            Abort(); // a failed write ends the connection
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            while (_outgoing.Reader.TryRead(out (byte[] Buffer, int Length) left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }

            if (_closeRequested)
            {
                Abort(); // everything queued before Close is written
            }
        }
    }

    /// <summary>No more messages: the writer finishes what is queued and ends.</summary>
    internal void StopWriter() => _outgoing.Writer.TryComplete();

    /// <summary>Closes the connection once what is queued is written (within <see cref="FlushTimeout"/>); the listener
    /// then calls <see cref="IStunServerExtension.HandleClosed"/>.</summary>
    public void Close()
    {
        _closeRequested = true;
        if (!_outgoing.Writer.TryComplete())
        {
            return; // the writer has ended or is finishing; it closes the connection when done
        }

        try
        {
            _closing.CancelAfter(FlushTimeout);
        }
        catch (ObjectDisposedException)
        {
            // already closed
        }
    }

    private void Abort()
    {
        _outgoing.Writer.TryComplete();
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // already closed
        }
    }
}
