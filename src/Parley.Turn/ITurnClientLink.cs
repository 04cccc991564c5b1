using Parley.Stun;

namespace Parley.Turn;

/// <summary>How the server writes to a client: the 5-tuple's server end (a UDP socket and the client's address, or
/// the client's TCP/TLS connection).</summary>
internal interface ITurnClientLink
{
    TransportAddress Remote { get; }

    /// <summary>True for TCP and TLS, where ChannelData is padded to a multiple of 4 (RFC 8656 §12.5).</summary>
    bool IsStream { get; }

    /// <summary>Sends one message (an answer, an indication); false when the link is gone.</summary>
    bool Send(ReadOnlySpan<byte> message);

    /// <summary>Sends relayed data, which may be dropped when the client does not keep up (over TCP, instead of
    /// waiting: the thread relaying it serves other allocations too); false when it was not sent.</summary>
    bool SendDatagram(ReadOnlySpan<byte> message);
}
