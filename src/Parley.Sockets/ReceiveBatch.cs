using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Sockets;

/// <summary>
/// Up to <see cref="Capacity"/> datagrams taken from a UDP socket with one recvmmsg(2) (Linux), without waiting,
/// each into a pinned buffer of its own with its sender's address; <see cref="WaitReadable"/> waits for more with
/// poll(2). Owned by one thread; nothing here allocates after construction.
/// </summary>
public sealed unsafe partial class ReceiveBatch : IDisposable
{
    private const int NameBytes = 28; // sockaddr_in6
    private const int DontWait = 0x40;
    private const int Truncated = 0x20; // MSG_TRUNC in msg_flags
    private const short PollIn = 0x001;

    private readonly byte[][] _buffers;
    private readonly int[] _lengths;
    private readonly IoVector* _vectors;
    private readonly byte* _names;
    private readonly MessageHeader* _messages;
    private int _count;
    private bool _disposed;

    public ReceiveBatch(int capacity = 32, int slotBytes = 2048)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotBytes, 1);
        Capacity = capacity;
        _buffers = new byte[capacity][];
        _lengths = new int[capacity];
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(IoVector)));
        _names = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * NameBytes));
        _messages = (MessageHeader*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MessageHeader)));
        for (int i = 0; i < capacity; i++)
        {
            _buffers[i] = GC.AllocateUninitializedArray<byte>(slotBytes, pinned: true);
            _vectors[i].Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffers[i]));
            _vectors[i].Length = (nuint)slotBytes;
        }
    }

    /// <summary>Whether recvmmsg and poll can be used here (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    public int Capacity { get; }

    /// <summary>Datagrams taken by the last <see cref="Receive"/>.</summary>
    public int Count => _count;

    /// <summary>Takes the datagrams waiting on <paramref name="fd"/>, up to <see cref="Capacity"/>: how many (0 when
    /// none is waiting), or -1 with the errno in <paramref name="error"/> (an ICMP error from an earlier send
    /// surfaces so; datagrams may follow it). The caller holds a reference on the socket's handle.</summary>
    public int Receive(int fd, out int error)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _count = 0;
        for (int i = 0; i < Capacity; i++)
        {
            _messages[i] = new MessageHeader
            {
                Name = _names + (i * NameBytes), NameLength = NameBytes, Vectors = &_vectors[i], VectorCount = 1,
            };
        }

        while (true)
        {
            int received = recvmmsg(fd, _messages, (uint)Capacity, DontWait, null);
            if (received >= 0)
            {
                for (int i = 0; i < received; i++)
                {
                    // A datagram larger than its slot was cut short: it is reported with length -1, to be skipped.
                    _lengths[i] = (_messages[i].Flags & Truncated) != 0 ? -1 : (int)_messages[i].Length;
                }

                _count = received;
                error = 0;
                return received;
            }

            error = Marshal.GetLastPInvokeError();
            if (error == BatchSender.Interrupted)
            {
                continue;
            }

            if (error == BatchSender.WouldBlock)
            {
                error = 0;
                return 0;
            }

            return -1;
        }
    }

    /// <summary>The length of datagram <paramref name="index"/>, or -1 when it did not fit its slot.</summary>
    public int LengthAt(int index) => _lengths[index];

    /// <summary>Datagram <paramref name="index"/> of the last <see cref="Receive"/>, valid until the next.</summary>
    public Memory<byte> DatagramAt(int index) => _buffers[index].AsMemory(0, Math.Max(0, _lengths[index]));

    /// <summary>Writes the sender of datagram <paramref name="index"/> into <paramref name="source"/>.</summary>
    public void SourceAt(int index, SocketAddress source)
    {
        int length = (int)Math.Min(_messages[index].NameLength, (uint)Math.Min(NameBytes, source.Buffer.Length));
        new ReadOnlySpan<byte>(_names + (index * NameBytes), length).CopyTo(source.Buffer.Span);
        source.Size = length;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for <paramref name="fd"/> to have a datagram:
    /// false on time-out (or an interrupted wait).</summary>
    public static bool WaitReadable(int fd, int timeoutMilliseconds)
    {
        var entry = new PollEntry { Fd = fd, Events = PollIn };
        return poll(&entry, 1, timeoutMilliseconds) > 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_names);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int fd, MessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollEntry* entries, nuint count, int timeout);

    /// <summary><c>struct pollfd</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollEntry
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }
}
