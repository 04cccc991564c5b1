using System.Text;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// An SDES chunk to write that carries only a CNAME (RFC 3550 §6.5.1), as a WebRTC endpoint sends: the source and
/// its canonical name in UTF-8 (at most 255 bytes). Keep one per stream and reuse it: the text is encoded once.
/// </summary>
public readonly record struct CnameChunk(uint Ssrc, ReadOnlyMemory<byte> Cname)
{
    public CnameChunk(uint ssrc, string cname)
        : this(ssrc, Encoding.UTF8.GetBytes(cname))
    {
    }

    public override string ToString() => $"{Ssrc:x8} {Encoding.UTF8.GetString(Cname.Span)}";
}
