using Parley.Stun;

namespace Parley.WebRtc;

/// <summary>A way to a transport's peer that media can be sent on: the peer's address on the shared UDP port, or an
/// ICE-TCP connection the peer opened. The transport sends on the one its peer selected.</summary>
internal abstract class IcePath
{
    /// <summary>The peer's end of the path.</summary>
    public abstract TransportAddress Remote { get; }

    /// <summary>Sends one packet without waiting; dropped when the path cannot take it now.</summary>
    public abstract void Send(ReadOnlySpan<byte> packet);
}
