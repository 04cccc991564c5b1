using System.Net.Sockets;

namespace Parley.Sockets;

/// <summary>The plain fallback: one <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, System.Net.SocketAddress)"/>
/// per datagram, for systems without sendmmsg(2).</summary>
public sealed class SendToSender : BatchSender
{
    public override int Send(Socket socket, SendBatch batch, int first, int count, out int error)
    {
        error = 0;
        for (int i = first; i < first + count; i++)
        {
            try
            {
                socket.SendTo(batch.DatagramAt(i), SocketFlags.None, batch.DestinationAt(i));
            }
            catch (SocketException e)
            {
                if (i == first)
                {
                    error = e.SocketErrorCode == SocketError.WouldBlock ? WouldBlock : (int)e.SocketErrorCode;
                    return -1;
                }

                return i - first; // the ones before it went out; the batch tries this one again on its own
            }
        }

        return count;
    }
}
