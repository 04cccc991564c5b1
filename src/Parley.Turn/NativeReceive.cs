using System.Net;
using System.Runtime.InteropServices;

namespace Parley.Turn;

/// <summary>
/// recvfrom(2) with MSG_DONTWAIT on Linux, for <see cref="RelayPoller"/>: an empty socket answers EAGAIN rather than
/// an exception, so draining a ready socket costs one system call per datagram and one more to find it empty.
/// </summary>
internal static unsafe partial class NativeReceive
{
    private const int DontWait = 0x40;
    private const int WouldBlock = 11; // EAGAIN
    private const int Interrupted = 4; // EINTR

    /// <summary>Receives one datagram into <paramref name="buffer"/> and its sender into
    /// <paramref name="source"/>: its length, or -1 when none is waiting (or the socket reported an error, which
    /// <paramref name="error"/> says).</summary>
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

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recvfrom(int fd, byte* buffer, nuint length, int flags, byte* address, uint* addressLength);
}
