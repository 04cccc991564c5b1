namespace Parley.Rtp.Rtcp;

/// <summary>
/// A packet a receiver got, as input for <see cref="TransportWideFeedback.TryCreate"/>: its transport-wide
/// sequence number and when it arrived on the receiver's clock (any epoch; the feedback keeps 250 µs resolution).
/// </summary>
public readonly record struct TwccArrival(ushort SequenceNumber, TimeSpan ArrivalTime);
