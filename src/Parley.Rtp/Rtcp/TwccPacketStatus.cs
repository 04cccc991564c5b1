namespace Parley.Rtp.Rtcp;

/// <summary>
/// What transport-wide feedback says about one packet: its transport-wide sequence number, its status symbol, and
/// for a received packet its receive delta (from the previous received packet, or from the reference time for the
/// first) and its arrival time (the reference time plus the deltas so far), both multiples of 250 µs on the
/// receiver's clock.
/// </summary>
public readonly record struct TwccPacketStatus(
    ushort SequenceNumber,
    TwccStatusSymbol Symbol,
    TimeSpan ReceiveDelta,
    TimeSpan ArrivalTime)
{
    public bool IsReceived => Symbol is TwccStatusSymbol.ReceivedSmallDelta or TwccStatusSymbol.ReceivedLargeDelta;
}
