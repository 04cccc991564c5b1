using System.Net;
using System.Net.Sockets;

namespace Parley.StunServer;

/// <summary>
/// Takes the traffic a Binding server does not answer itself: STUN messages of other methods and ChannelData
/// (TURN shares the STUN port, RFC 8656 §5). Called on the listener's receive threads; it must not block for long.
/// </summary>
public interface IStunServerExtension
{
    /// <summary>
    /// A datagram that reached a UDP listening socket. Replies go out through <paramref name="socket"/> to
    /// <paramref name="source"/>; the listener reuses <paramref name="source"/> and the datagram's bytes after the
    /// call returns, so keep copies, not references.
    /// </summary>
    void HandleDatagram(ReadOnlyMemory<byte> datagram, in StunRequestContext context, Socket socket, SocketAddress source);

    /// <summary>A whole frame (STUN message or padded ChannelData) from a TCP or TLS connection. The bytes are reused
    /// after the call returns.</summary>
    void HandleFrame(ReadOnlyMemory<byte> frame, StunStreamConnection connection);

    /// <summary>The connection has closed; whatever the extension tied to it goes too.</summary>
    void HandleClosed(StunStreamConnection connection);

    /// <summary>Whether a datagram or frame is the extension's: ChannelData, or STUN of a method other than
    /// Binding.</summary>
    public static bool Claims(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            return false;
        }

        if (Parley.Stun.ChannelData.IsChannelDataFirstByte(data[0]))
        {
            return true;
        }

        // The method bits of the message type (RFC 8489 §5): Binding is 0x001.
        int type = (data[0] << 8) | data[1];
        int method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
        return data[0] <= 3 && method != 0x001;
    }
}
