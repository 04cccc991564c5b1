namespace Parley.Sockets;

/// <summary>Told what became of each datagram a <see cref="SendBatch"/> sent: the tag is the one it was added
/// with.</summary>
public interface ISendBatchListener
{
    /// <summary>The kernel took the datagram.</summary>
    void Sent(int tag);

    /// <summary>The datagram was lost: <paramref name="error"/> is the errno (EAGAIN for a full send buffer), or 0
    /// when the socket is closed.</summary>
    void Dropped(int tag, int error);
}
