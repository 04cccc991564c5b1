using System.Net;
using Parley.Stun;

namespace Parley.Turn;

/// <summary>A channel number bound to a peer (RFC 8656 §12), with the peer's socket address ready for sends.</summary>
internal sealed class ChannelBinding(ushort number, TransportAddress peer)
{
    public ushort Number => number;

    public TransportAddress Peer => peer;

    public SocketAddress PeerSocketAddress { get; } = peer.ToIPEndPoint().Serialize();

    /// <summary>Unix milliseconds after which the binding is gone.</summary>
    public long ExpiresAt;
}
