using Parley.Stun;
using Parley.StunServer;

namespace Parley.Turn;

/// <summary>A client reached over its TCP or TLS connection to the TURN port.</summary>
internal sealed class StreamClientLink(StunStreamConnection connection) : ITurnClientLink
{
    public StunStreamConnection Connection => connection;

    public TransportAddress Remote => connection.Remote;

    public bool IsStream => true;

    public bool Send(ReadOnlySpan<byte> message) => connection.Send(message);

    /// <summary>Relayed data: dropped rather than queued without bound when the client does not keep up.</summary>
    public bool SendDatagram(ReadOnlySpan<byte> message) => connection.TrySendDatagram(message);
}
