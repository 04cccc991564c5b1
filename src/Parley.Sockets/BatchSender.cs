using System.Net.Sockets;

namespace Parley.Sockets;

/// <summary>How a <see cref="SendBatch"/> hands a run of datagrams for one socket to the kernel: sendmmsg(2) on Linux
/// (<see cref="SendMessagesSender"/>), one <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, System.Net.SocketAddress)"/>
/// per datagram elsewhere (<see cref="SendToSender"/>).</summary>
public abstract class BatchSender
{
    /// <summary>errno EINTR.</summary>
    public const int Interrupted = 4;

    /// <summary>errno EAGAIN: the socket's send buffer is full.</summary>
    public const int WouldBlock = 11;

    /// <summary>errno ENOSYS: the system call does not exist.</summary>
    public const int NotImplemented = 38;

    /// <summary>The sender for this platform.</summary>
    public static BatchSender Default { get; } = OperatingSystem.IsLinux() ? new SendMessagesSender() : new SendToSender();

    /// <summary>Sends datagrams <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1
    /// of <paramref name="batch"/> on <paramref name="socket"/> without waiting: how many the kernel took from the
    /// start of the run (at least 1), or -1 with the errno in <paramref name="error"/> when the first was not taken.
    /// Throws <see cref="ObjectDisposedException"/> when the socket is closed.</summary>
    public abstract int Send(Socket socket, SendBatch batch, int first, int count, out int error);
}
