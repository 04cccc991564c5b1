namespace Parley.Bench.Turn;

/// <summary>Why a datagram did not count as a correctly relayed packet. Each one is an error of the run.</summary>
internal enum RelayFault
{
    /// <summary>Neither a ChannelData frame nor a STUN message.</summary>
    Unparsable,

    /// <summary>ChannelData expected, a STUN message came (a Data indication, say).</summary>
    NotChannelData,

    /// <summary>ChannelData on a channel other than the one bound.</summary>
    WrongChannel,

    /// <summary>A Data indication expected, something else came.</summary>
    NotDataIndication,

    /// <summary>A Data indication whose FINGERPRINT is wrong.</summary>
    BadFingerprint,

    /// <summary>A Data indication whose XOR-PEER-ADDRESS is not the echo peer, or missing.</summary>
    WrongPeerAddress,

    /// <summary>A Data indication without DATA.</summary>
    NoData,

    /// <summary>The relayed data is not as long as what was sent.</summary>
    WrongLength,

    /// <summary>The relayed data differs from what was sent.</summary>
    CorruptPayload,

    /// <summary>Another client's packet: relayed to the wrong allocation.</summary>
    WrongClient,

    /// <summary>A sequence number never sent, or already answered (a duplicate).</summary>
    UnknownPacket,

    /// <summary>The peer received a datagram from an address other than the client's relayed address.</summary>
    PeerWrongSource,

    /// <summary>The peer received a datagram too short to be a payload, or naming no client.</summary>
    PeerUnknownPacket,

    /// <summary>A send failed (the load generator's failure, not the server's).</summary>
    SendFailed,
}
