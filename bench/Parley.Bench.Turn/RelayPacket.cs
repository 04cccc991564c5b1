namespace Parley.Bench.Turn;

/// <summary>What a correctly relayed payload says about itself: the window slot, sequence number and send time its
/// client stamped on it.</summary>
internal readonly record struct RelayPacket(int Slot, long Sequence, long SentTimestamp);
