using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// How one client's payloads travel to and from the TURN server: wrapped in a frame built once, whose payload the
/// client stamps before each send, and unwrapped from what comes back, with every field checked. One per client,
/// used by its thread only; nothing is allocated per packet.
/// </summary>
internal interface IRelayFraming
{
    /// <summary>The whole datagram to send, payload included.</summary>
    ReadOnlySpan<byte> Frame { get; }

    /// <summary>The payload inside <see cref="Frame"/>, to stamp before each send; its pattern is the template
    /// replies are checked against.</summary>
    Span<byte> Payload { get; }

    /// <summary>Anything per-message besides the payload (a Send indication's transaction id).</summary>
    void PrepareSend(long sequence);

    /// <summary>
    /// Finds the payload in a datagram from the server: false, with the reason, when the datagram is not a frame of
    /// this mode and this client's channel or peer, or its payload is not as long as the one sent.
    /// </summary>
    bool TryUnwrap(ReadOnlyMemory<byte> datagram, out ReadOnlySpan<byte> payload, out RelayFault fault);

    /// <summary>The framing for <paramref name="mode"/>, its payload filled with the client's template.</summary>
    static IRelayFraming Create(RelayMode mode, int client, int payloadSize, TransportAddress peer) => mode switch
    {
        RelayMode.ChannelData => new ChannelDataFraming(client, payloadSize, LoadSettings.Channel),
        _ => new IndicationFraming(client, payloadSize, peer),
    };
}
