using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Sockets;

/// <summary>
/// recvfrom(2) and sendto(2) with MSG_DONTWAIT on Linux, for relay and media paths: an empty socket or a full send
/// buffer answers EAGAIN rather than an exception or a wait, and each datagram costs one system call and nothing more.
/// Elsewhere <see cref="SendTo"/> falls back to <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, SocketAddress)"/>.
/// </summary>
public static unsafe partial class NativeUdp
{
    private const int DontWait = 0x40;
    private const int NoSignal = 0x4000;
    private const int WouldBlock = 11; // EAGAIN
    private const int Interrupted = 4; // EINTR

    /// <summary>Receives one datagram into <paramref name="buffer"/> and its sender into
    /// <paramref name="source"/>: its length, or -1 when none is waiting (or the socket reported an error, which
    /// <paramref name="error"/> says). The caller holds a reference on the socket's handle.</summary>
    public static int ReceiveFrom(int fd, Span<byte> buffer, SocketAddress source, out bool error)
    {
        Span<byte> address = source.Buffer.Span;
        while (true)
        {
            uint addressLength = (uint)address.Length;
            nint received;
            fixed (byte* data = buffer)
            fixed (byte* from = address)
            {
                received = recvfrom(fd, data, (nuint)buffer.Length, DontWait, from, &addressLength);
            }

            if (received >= 0)
            {
                source.Size = (int)Math.Min(addressLength, (uint)address.Length);
                error = false;
                return (int)received;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Interrupted)
            {
                continue;
            }

            error = errno != WouldBlock;
            return -1;
        }
    }

    /// <summary>Sends one datagram without waiting. True when it was handed to the kernel; false when it was not
    /// (a full buffer, an ICMP error from an earlier datagram: lost, as UDP may lose it), with
    /// <paramref name="closed"/> when the socket is closed.</summary>
    public static bool SendTo(Socket socket, ReadOnlySpan<byte> data, SocketAddress destination, out bool closed)
    {
        closed = false;
        if (!OperatingSystem.IsLinux())
        {
            try
            {
                socket.SendTo(data, SocketFlags.None, destination);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
            catch (ObjectDisposedException)
            {
                closed = true;
                return false;
            }
        }

        SafeSocketHandle handle = socket.SafeHandle;
        bool referenced = false;
        try
        {
            handle.DangerousAddRef(ref referenced);
            int fd = (int)handle.DangerousGetHandle();
            Span<byte> address = destination.Buffer.Span[..destination.Size];
            while (true)
            {
                nint sent;
                fixed (byte* bytes = data)
                fixed (byte* to = address)
                {
                    sent = sendto(fd, bytes, (nuint)data.Length, DontWait | NoSignal, to, (uint)address.Length);
                }

                if (sent >= 0)
                {
                    return true;
                }

                if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    return false;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            closed = true;
            return false;
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recvfrom(int fd, byte* buffer, nuint length, int flags, byte* address, uint* addressLength);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendto(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);
}
