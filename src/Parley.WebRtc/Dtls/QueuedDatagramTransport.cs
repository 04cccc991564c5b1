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

    private readonly BlockingCollection<byte[]> _incoming = new(boundedCapacity: 64);

    /// <summary>Queues a received DTLS datagram; dropped when the engine is this far behind (DTLS retransmits).</summary>
    public void Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (!_incoming.IsAddingCompleted)
        {
            _incoming.TryAdd(datagram.ToArray());
        }
    }

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => SendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!_incoming.TryTake(out byte[]? datagram, Math.Max(waitMillis, 0)))
        {
            if (_incoming.IsCompleted)
            {
                throw new IOException("The DTLS transport is closed");
            }

            return -1; // timeout: the engine retransmits or gives up
        }

        int length = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, length).CopyTo(buffer);
        return length;
    }

    public void Send(byte[] buf, int off, int len) => send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer) => send(buffer);

    public void Close() => _incoming.CompleteAdding();
}

/// <summary>Sends one datagram to the peer.</summary>
public delegate void SendDatagram(ReadOnlySpan<byte> datagram);
