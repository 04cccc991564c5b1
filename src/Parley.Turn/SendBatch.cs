using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Turn;

/// <summary>
/// Datagrams for UDP clients gathered by a <see cref="RelayPoller"/> thread over one wake-up and sent with one
/// sendmmsg(2) per listening socket (Linux): each datagram is received straight into the slot it is sent from, so
/// nothing is copied. Owned by one thread.
/// </summary>
internal sealed unsafe partial class SendBatch : IDisposable
{
    public const int Capacity = 32;
    private const int NameBytes = 28; // sockaddr_in6
    private const int DontWait = 0x40;
    private const int NoSignal = 0x4000;

    private readonly byte[][] _buffers = new byte[Capacity][];
    private readonly Socket?[] _sockets = new Socket?[Capacity];
    private readonly int[] _payloadLengths = new int[Capacity];
    private readonly MessageHeader* _messages;
    private readonly IoVector* _vectors;
    private readonly byte* _names;
    private readonly TurnCounters _counters;
    private int _count;

    public SendBatch(TurnCounters counters)
    {
        _counters = counters;
        for (int i = 0; i < Capacity; i++)
        {
            _buffers[i] = GC.AllocateUninitializedArray<byte>(Allocation.ReceiveBufferBytes, pinned: true);
        }

        _messages = (MessageHeader*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(MessageHeader)));
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(Capacity * sizeof(IoVector)));
        _names = (byte*)NativeMemory.AllocZeroed((nuint)(Capacity * NameBytes));
    }

    /// <summary>The buffer the next datagram is to be received into (and its frame built in).</summary>
    public byte[] Buffer => _buffers[_count];

    /// <summary>Queues the frame at <paramref name="start"/> in <see cref="Buffer"/> for
    /// <paramref name="destination"/> through <paramref name="socket"/>, carrying <paramref name="payloadLength"/>
    /// relayed bytes (what the counters count); sends the batch when it is full.</summary>
    public void Add(Socket socket, SocketAddress destination, int start, int length, int payloadLength)
    {
        int i = _count;
        byte* name = _names + (i * NameBytes);
        int nameLength = Math.Min(destination.Size, NameBytes);
        destination.Buffer.Span[..nameLength].CopyTo(new Span<byte>(name, nameLength));
        _vectors[i].Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffers[i])) + start;
        _vectors[i].Length = (nuint)length;
        _messages[i] = new MessageHeader { Name = name, NameLength = (uint)nameLength, Vectors = &_vectors[i], VectorCount = 1 };
        _sockets[i] = socket;
        _payloadLengths[i] = payloadLength;
        _count = i + 1;
        if (_count == Capacity)
        {
            Flush();
        }
    }

    /// <summary>Sends what is gathered: one sendmmsg per run of datagrams for the same socket.</summary>
    public void Flush()
    {
        int first = 0;
        while (first < _count)
        {
            Socket socket = _sockets[first]!;
            int end = first + 1;
            while (end < _count && ReferenceEquals(_sockets[end], socket))
            {
                end++;
            }

            SendRun(socket, first, end - first);
            first = end;
        }

        Array.Clear(_sockets, 0, _count);
        _count = 0;
    }

    private void SendRun(Socket socket, int first, int count)
    {
        bool referenced = false;
        SafeSocketHandle handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref referenced);
            int fd = (int)handle.DangerousGetHandle();
            while (count > 0)
            {
                int sent = sendmmsg(fd, _messages + first, (uint)count, DontWait | NoSignal);
                if (sent <= 0)
                {
                    if (sent < 0 && Marshal.GetLastPInvokeError() == 4)
                    {
                        continue; // EINTR
                    }

                    // EAGAIN (full buffer) or an error on the first datagram: it is lost, as UDP may lose it.
                    _counters.Dropped();
                    sent = 1;
                }
                else
                {
                    for (int i = first; i < first + sent; i++)
                    {
                        _counters.RelayedIn(_payloadLengths[i]);
                    }
                }

                first += sent;
                count -= sent;
            }
        }
        catch (ObjectDisposedException)
        {
            // the listening socket is closed: the server is stopping
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        NativeMemory.Free(_messages);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_names);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sendmmsg(int fd, MessageHeader* messages, uint count, int flags);

    /// <summary><c>struct iovec</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary><c>struct mmsghdr</c> (a 56-byte <c>struct msghdr</c> and the count the kernel writes back), LP64:
    /// 64 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
        private readonly int _flagsPadding;
        public uint SentLength;
        private readonly int _lengthPadding;
    }
}
