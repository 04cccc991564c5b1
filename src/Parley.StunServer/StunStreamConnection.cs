using System.Net.Sockets;
using Parley.Stun;

namespace Parley.StunServer;

/// <summary>
/// A client's TCP (or TLS) connection to the STUN port, as an <see cref="IStunServerExtension"/> sees it: who is at
/// each end, a way to write to it from any thread, and a slot for the extension's own state (a TURN allocation).
/// </summary>
public sealed class StunStreamConnection
{
    private readonly Stream _stream;
    private readonly Lock _writeGate = new();
    private readonly CancellationTokenSource _closing;

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
    /// hands the stream, the bytes already read past the frame and the connection's cancellation to this function,
    /// and closes the connection when it returns (a TURN data connection of RFC 6062 becomes a raw byte pipe).</summary>
    public Func<Stream, ReadOnlyMemory<byte>, CancellationToken, Task>? RawHandler { get; set; }

    /// <summary>Writes bytes as one unit (frames from different threads never interleave). False when the connection
    /// is closed or the write failed, which also closes it.</summary>
    public bool Send(ReadOnlySpan<byte> data)
    {
        try
        {
            lock (_writeGate)
            {
                _stream.Write(data);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            Close();
            return false;
        }
    }

    /// <summary>Asks the connection to close; the listener then calls <see cref="IStunServerExtension.HandleClosed"/>.</summary>
    public void Close()
    {
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
