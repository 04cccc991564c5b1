using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace Parley.Bench.Sfu;

/// <summary>
/// BouncyCastle's datagram transport over a peer's socket while it handshakes: DTLS records go to the engine,
/// STUN is handled on the side (the server's checks answered, ours repeated for consent), anything else dropped.
/// </summary>
internal sealed class SetupTransport(LoadPeer peer, long deadlineMs) : DatagramTransport
{
    private const int Mtu = 1200;
    private readonly byte[] _buffer = new byte[2048];

    public int GetReceiveLimit() => 1500;

    public int GetSendLimit() => Mtu;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        long until = Math.Min(Environment.TickCount64 + Math.Max(waitMillis, 0), deadlineMs);
        while (true)
        {
            long now = Environment.TickCount64;
            if (now >= until)
            {
                if (now >= deadlineMs)
                {
                    throw new IOException("set-up time is over");
                }

                return -1;
            }

            peer.SendCheckIfDue(now, 500);
            if (!peer.Socket.Poll((int)Math.Min(until - now, 100) * 1000, SelectMode.SelectRead))
            {
                continue;
            }

            int length = peer.ReceiveOrZero(_buffer);
            if (length == 0)
            {
                continue;
            }

            byte first = _buffer[0];
            if (first <= 3)
            {
                peer.HandleStun(_buffer.AsMemory(0, length));
            }
            else if (first is >= 20 and <= 63)
            {
                int copied = Math.Min(length, buffer.Length);
                _buffer.AsSpan(0, copied).CopyTo(buffer);
                return copied;
            }
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer) => peer.SendOrDrop(buffer);

    public void Close()
    {
    }
}
