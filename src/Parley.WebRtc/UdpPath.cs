using Parley.Stun;

namespace Parley.WebRtc;

/// <summary>A peer's address on the shared UDP port.</summary>
internal sealed class UdpPath(WebRtcServer server, TransportAddress remote) : IcePath
{
    public override TransportAddress Remote { get; } = remote;

    public override void Send(ReadOnlySpan<byte> packet) => server.SendTo(packet, Remote);
}
