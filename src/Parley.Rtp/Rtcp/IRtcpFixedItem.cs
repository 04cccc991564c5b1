namespace Parley.Rtp.Rtcp;

/// <summary>
/// A fixed-size entry repeated in an RTCP packet: a report block, a FIR entry, a NACK PID/BLP pair. Lets
/// <see cref="RtcpItemList{T}"/> read entries from the wire on demand.
/// </summary>
public interface IRtcpFixedItem<TSelf> : IWireEncodable where TSelf : struct, IRtcpFixedItem<TSelf>
{
    /// <summary>The entry's size on the wire.</summary>
    static abstract int EncodedLength { get; }

    /// <summary>Reads an entry that is exactly <paramref name="data"/>.</summary>
    static abstract bool TryRead(ReadOnlySpan<byte> data, out TSelf item);
}
