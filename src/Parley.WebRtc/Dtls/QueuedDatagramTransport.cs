using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Parley.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's view of one peer's DTLS datagrams: the UDP demultiplexer queues what arrives for the peer,
/// the engine's thread takes it (waiting as the engine asks), and sends go straight to the peer's address.
/// </summary>
internal sealed class QueuedDatagramTransport(SendDatagram send) : DatagramTransport
{
    /// <summary>DTLS records are kept under the usual WebRTC datagram budget so nothing is IP-fragmented.</summary>
    private const int SendLimit = 1200;
    private const int ReceiveLimit = 1500;

    /// <summary>Datagrams queued at most; more are dropped (the engine is far behind, and DTLS retransmits).</summary>
    private const int Capacity = 64;

    private readonly ConcurrentQueue<byte[]> _incoming = new();

    /// <summary>Counts the queued datagrams (released once per datagram, and once more on close so a waiting receive
    /// sees it). A semaphore's timed wait allocates nothing, where a blocking collection's makes a linked
    /// cancellation source per wait: the engine's thread waits once a second or more for as long as it lingers.</summary>
    private readonly SemaphoreSlim _available = new(0);
    private volatile bool _closed;

    /// <summary>Queues a received DTLS datagram; dropped when the engine is this far behind (DTLS retransmits).</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (!_closed && _incoming.Count < Capacity)
        {
            _incoming.Enqueue(datagram.ToArray());
            _available.Release();
        }
    }

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => SendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
        {
            throw new IOException("The DTLS transport is closed");
        }

        if (!_available.Wait(Math.Max(waitMillis, 0)))
        {
            return -1; // timeout: the engine retransmits or gives up
        }

        if (!_incoming.TryDequeue(out byte[]? datagram))
        {
            throw new IOException("The DTLS transport is closed"); // the release was the close's
        }

        int length = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    public void Send(byte[] buf, int off, int len) => send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer) => send(buffer);

    public void Close()
    {
        if (!_closed)
        {
            _closed = true;
            _available.Release(); // wakes a waiting receive
        }
    }
}

/// <summary>Sends one datagram to the peer.</summary>
public delegate void SendDatagram(ReadOnlySpan<byte> datagram);
