using System.ComponentModel;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Bench.Sfu;

/// <summary>
/// Linux epoll(7), level-triggered, for a load thread that waits on hundreds of peer sockets at once (poll(2) over
/// all of them every wake-up would cost more than the packets). x86-64 only: its <c>epoll_event</c> is packed.
/// </summary>
internal sealed unsafe partial class Epoll : IDisposable
{
    private const int EpollCtlAdd = 1;
    private const uint EpollIn = 0x001;

    private readonly int _fd;

    public Epoll()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException("the SFU benchmark's epoll binding assumes x86-64");
        }

        _fd = EpollCreate1(0);
        if (_fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Watches a socket for input; <paramref name="token"/> comes back with its events.</summary>
    public void Add(Socket socket, int token)
    {
        var ev = new EpollEvent { Events = EpollIn, Data = (ulong)token };
        if (EpollCtl(_fd, EpollCtlAdd, (int)socket.SafeHandle.DangerousGetHandle(), &ev) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> and writes the tokens of ready sockets; their count.</summary>
    public int Wait(Span<EpollEvent> events, int timeoutMs)
    {
        fixed (EpollEvent* buffer = events)
        {
            int ready = EpollWait(_fd, buffer, events.Length, timeoutMs);
            return ready < 0 ? 0 : ready; // EINTR
        }
    }

    public void Dispose() => Close(_fd);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epfd, int op, int fd, EpollEvent* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}

/// <summary>struct epoll_event as x86-64 Linux lays it out (packed: 12 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
internal struct EpollEvent
{
    public uint Events;
    public ulong Data;
}
