using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Sockets;

/// <summary>sendmmsg(2) with MSG_DONTWAIT (Linux): a run of datagrams in one system call. Where the call turns out
/// not to exist (ENOSYS, or a libc without it) it falls back to <see cref="SendToSender"/> for good.</summary>
public sealed unsafe partial class SendMessagesSender : BatchSender
{
    private const int DontWait = 0x40;
    private const int NoSignal = 0x4000;

    private readonly SendToSender _fallback = new();
    private volatile bool _unavailable;

    /// <summary>Whether sendmmsg was found missing and datagrams go out one by one.</summary>
    public bool FellBack => _unavailable;

    public override int Send(Socket socket, SendBatch batch, int first, int count, out int error)
    {
        if (_unavailable)
        {
            return _fallback.Send(socket, batch, first, count, out error);
        }

        SafeSocketHandle handle = socket.SafeHandle;
        bool referenced = false;
        try
        {
            handle.DangerousAddRef(ref referenced);
            int fd = (int)handle.DangerousGetHandle();
            int sent = sendmmsg(fd, batch.Messages + first, (uint)count, DontWait | NoSignal);
            if (sent >= 0)
            {
                error = 0;
                return sent == 0 ? -1 : sent; // 0 does not happen for a non-empty run; treated as a loss of the first
            }

            error = Marshal.GetLastPInvokeError();
            if (error != NotImplemented)
            {
                return -1;
            }
        }
        catch (EntryPointNotFoundException)
        {
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease();
            }
        }

        _unavailable = true;
        return _fallback.Send(socket, batch, first, count, out error);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sendmmsg(int fd, MessageHeader* messages, uint count, int flags);
}
