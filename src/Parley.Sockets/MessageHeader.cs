using System.Runtime.InteropServices;

namespace Parley.Sockets;

/// <summary><c>struct mmsghdr</c> (a 56-byte <c>struct msghdr</c> and the length the kernel writes back), LP64: 64
/// bytes. sendmmsg(2) and recvmmsg(2) take arrays of them.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MessageHeader
{
    public byte* Name;
    public uint NameLength;
    public IoVector* Vectors;
    public nuint VectorCount;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
    private readonly int _flagsPadding;
    public uint Length;
    private readonly int _lengthPadding;
}
