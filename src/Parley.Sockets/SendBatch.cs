using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Sockets;

/// <summary>
/// Datagrams gathered by one thread and sent together: one sendmmsg(2) per run of datagrams for the same socket on
/// Linux, one sendto per datagram elsewhere (<see cref="BatchSender"/>). Each slot is a pinned buffer: a datagram is
/// either built (or received) straight into <see cref="Buffer"/> and added with <see cref="Add"/>, or copied in with
/// <see cref="TryAdd"/>. The batch sends itself when full; the owner calls <see cref="Flush"/> at the end of each
/// round of work. Owned by one thread; nothing here allocates after construction.
/// </summary>
public sealed unsafe class SendBatch : IDisposable
{
    private const int NameBytes = 28; // sockaddr_in6

    private readonly byte[][] _buffers;
    private readonly SocketAddress[] _destinations;
    private readonly Socket?[] _sockets;
    private readonly int[] _tags;
    private readonly BatchSender _sender;
    private readonly ISendBatchListener? _listener;
    private readonly IoVector* _vectors;
    private readonly byte* _names;
    private int _count;
    private bool _disposed;

    public SendBatch(int capacity = 32, int slotBytes = 2048, BatchSender? sender = null, ISendBatchListener? listener = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotBytes, 1);
        Capacity = capacity;
        SlotBytes = slotBytes;
        _sender = sender ?? BatchSender.Default;
        _listener = listener;
        _buffers = new byte[capacity][];
        _destinations = new SocketAddress[capacity];
        _sockets = new Socket?[capacity];
        _tags = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _buffers[i] = GC.AllocateUninitializedArray<byte>(slotBytes, pinned: true);
            _destinations[i] = new SocketAddress(AddressFamily.InterNetworkV6);
        }

        Messages = (MessageHeader*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MessageHeader)));
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(IoVector)));
        _names = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * NameBytes));
    }

    public int Capacity { get; }

    /// <summary>The largest datagram a slot holds.</summary>
    public int SlotBytes { get; }

    /// <summary>Datagrams waiting to be sent.</summary>
    public int Count => _count;

    /// <summary>The buffer of the next slot: a datagram built (or received) in it is queued with <see cref="Add"/>.</summary>
    public byte[] Buffer => _buffers[_count];

    internal MessageHeader* Messages { get; }

    /// <summary>Queues the datagram at <paramref name="start"/> in <see cref="Buffer"/> for
    /// <paramref name="destination"/> through <paramref name="socket"/>; sends the batch when it is full. The
    /// <paramref name="tag"/> goes to the listener with the datagram's fate.</summary>
    public void Add(Socket socket, SocketAddress destination, int start, int length, int tag = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)start > (uint)SlotBytes || (uint)length > (uint)(SlotBytes - start))
        {
            throw new ArgumentOutOfRangeException(nameof(length), "The datagram is outside the slot.");
        }

        int i = _count;
        int nameLength = Math.Min(destination.Size, NameBytes);
        Span<byte> name = new(_names + (i * NameBytes), NameBytes);
        destination.Buffer.Span[..nameLength].CopyTo(name);
        SocketAddress copy = _destinations[i];
        destination.Buffer.Span[..nameLength].CopyTo(copy.Buffer.Span);
        copy.Size = nameLength;
        _vectors[i].Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_buffers[i])) + start;
        _vectors[i].Length = (nuint)length;
        Messages[i] = new MessageHeader
        {
            Name = _names + (i * NameBytes), NameLength = (uint)nameLength, Vectors = &_vectors[i], VectorCount = 1,
        };
        _sockets[i] = socket;
        _tags[i] = tag;
        _count = i + 1;
        if (_count == Capacity)
        {
            Flush();
        }
    }

    /// <summary>Copies <paramref name="datagram"/> into the next slot and queues it; false (nothing queued) when it is
    /// larger than a slot, for the caller to send on its own.</summary>
    public bool TryAdd(Socket socket, ReadOnlySpan<byte> datagram, SocketAddress destination, int tag = 0)
    {
        if (datagram.Length > SlotBytes)
        {
            return false;
        }

        datagram.CopyTo(Buffer);
        Add(socket, destination, 0, datagram.Length, tag);
        return true;
    }

    /// <summary>The queued datagram in slot <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> DatagramAt(int index) =>
        new(_vectors[index].Base, (int)_vectors[index].Length);

    /// <summary>The destination of the datagram in slot <paramref name="index"/>.</summary>
    public SocketAddress DestinationAt(int index) => _destinations[index];

    /// <summary>Sends what is gathered: one call of the sender per run of datagrams for the same socket. A datagram
    /// the kernel refuses is dropped (UDP may lose it) and the rest of its run still tried, except after EAGAIN: a
    /// full send buffer drops the rest of the run.</summary>
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
        while (count > 0)
        {
            int sent;
            int error;
            try
            {
                sent = _sender.Send(socket, this, first, count, out error);
            }
            catch (ObjectDisposedException)
            {
                Drop(first, count, 0); // the socket is closed: the owner is stopping
                return;
            }

            if (sent < 0)
            {
                if (error == BatchSender.Interrupted)
                {
                    continue;
                }

                if (error == BatchSender.WouldBlock)
                {
                    Drop(first, count, error);
                    return;
                }

                Drop(first, 1, error); // e.g. an ICMP error from an earlier datagram, or an unreachable address
                sent = 1;
            }
            else if (_listener is not null)
            {
                for (int i = first; i < first + sent; i++)
                {
                    _listener.Sent(_tags[i]);
                }
            }

            first += sent;
            count -= sent;
        }
    }

    private void Drop(int first, int count, int error)
    {
        if (_listener is not null)
        {
            for (int i = first; i < first + count; i++)
            {
                _listener.Dropped(_tags[i], error);
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.Free(Messages);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_names);
    }
}
