namespace Parley.Sockets.Tests;

/// <summary>A test of a Linux system call (recvmmsg, poll): skipped elsewhere, saying why.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!ReceiveBatch.IsSupported)
        {
            Skip = "recvmmsg and poll are Linux system calls; elsewhere the media port receives one datagram at a time";
        }
    }
}
