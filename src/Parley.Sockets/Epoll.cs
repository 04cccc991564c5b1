using System.Runtime.InteropServices;

namespace Parley.Sockets;

/// <summary>
/// Linux epoll(7), for pollers that wait on many sockets (Parley.Turn's relay threads). <c>struct epoll_event</c> is
/// packed (12 bytes) on x86-64 and naturally aligned (16 bytes) elsewhere, hence two layouts; callers see only the
/// data word.
/// </summary>
public static partial class Epoll
{
    private const int CtlAdd = 1;
    private const int CtlDel = 2;
    private const uint In = 0x001;
    private const int CloseOnExec = 0x80000;

    private static readonly bool Packed = RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    public static bool IsSupported => OperatingSystem.IsLinux();

    public static int Create() => epoll_create1(CloseOnExec);

    public static int Add(int epoll, int fd, ulong data)
    {
        if (Packed)
        {
            var e = new PackedEvent { Events = In, Data = data };
            return epoll_ctl_packed(epoll, CtlAdd, fd, ref e);
        }

        var aligned = new AlignedEvent { Events = In, Data = data };
        return epoll_ctl_aligned(epoll, CtlAdd, fd, ref aligned);
    }

    public static int Remove(int epoll, int fd)
    {
        if (Packed)
        {
            var e = default(PackedEvent);
            return epoll_ctl_packed(epoll, CtlDel, fd, ref e);
        }

        var aligned = default(AlignedEvent);
        return epoll_ctl_aligned(epoll, CtlDel, fd, ref aligned);
    }

    /// <summary>Waits for ready descriptors and writes their data words to <paramref name="ready"/>.</summary>
    public static int Wait(int epoll, EventBuffer buffer, int timeoutMilliseconds)
    {
        int count = Packed
            ? epoll_wait_packed(epoll, buffer.Packed, buffer.Packed.Length, timeoutMilliseconds)
            : epoll_wait_aligned(epoll, buffer.Aligned, buffer.Aligned.Length, timeoutMilliseconds);
        for (int i = 0; i < count; i++)
        {
            buffer.Data[i] = Packed ? buffer.Packed[i].Data : buffer.Aligned[i].Data;
        }

        return count;
    }

    public static void Close(int fd) => close(fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int epoll_ctl_packed(int epfd, int op, int fd, ref PackedEvent @event);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int epoll_ctl_aligned(int epfd, int op, int fd, ref AlignedEvent @event);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int epoll_wait_packed(int epfd, [Out] PackedEvent[] events, int maxevents, int timeout);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int epoll_wait_aligned(int epfd, [Out] AlignedEvent[] events, int maxevents, int timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    /// <summary>Room for the events of one wait, in the platform's layout, and their data words.</summary>
    public sealed class EventBuffer(int capacity)
    {
        public PackedEvent[] Packed { get; } = Epoll.Packed ? new PackedEvent[capacity] : [];

        public AlignedEvent[] Aligned { get; } = Epoll.Packed ? [] : new AlignedEvent[capacity];

        public ulong[] Data { get; } = new ulong[capacity];
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct PackedEvent
    {
        public uint Events;
        public ulong Data;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct AlignedEvent
    {
        public uint Events;
        public ulong Data;
    }
}
