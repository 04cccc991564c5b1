namespace Parley.Bench.Turn;

/// <summary>The outcome of one non-blocking read.</summary>
internal enum RelayReceive
{
    /// <summary>Nothing waiting (or an ICMP error, which leaves the packets concerned to time out).</summary>
    None,

    /// <summary>A datagram that failed a check, counted as a fault.</summary>
    Fault,

    /// <summary>An intact payload of this client.</summary>
    Packet,
}
