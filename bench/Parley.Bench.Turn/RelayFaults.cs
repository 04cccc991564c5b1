namespace Parley.Bench.Turn;

/// <summary>Names of the faults, for the report and the JSON.</summary>
internal static class RelayFaults
{
    public static readonly int Count = Enum.GetValues<RelayFault>().Length;

    public static string Describe(RelayFault fault) => fault switch
    {
        RelayFault.Unparsable => "neither ChannelData nor STUN",
        RelayFault.NotChannelData => "a STUN message instead of ChannelData",
        RelayFault.WrongChannel => "ChannelData on another channel",
        RelayFault.NotDataIndication => "not a Data indication",
        RelayFault.BadFingerprint => "Data indication with a wrong FINGERPRINT",
        RelayFault.WrongPeerAddress => "Data indication without the peer's XOR-PEER-ADDRESS",
        RelayFault.NoData => "Data indication without DATA",
        RelayFault.WrongLength => "relayed data of the wrong length",
        RelayFault.CorruptPayload => "relayed data changed",
        RelayFault.WrongClient => "another client's packet",
        RelayFault.UnknownPacket => "unknown or duplicate packet",
        RelayFault.PeerWrongSource => "peer: datagram not from the client's relayed address",
        RelayFault.PeerUnknownPacket => "peer: datagram naming no client",
        RelayFault.SendFailed => "send failed (load generator)",
        _ => fault.ToString(),
    };
}
