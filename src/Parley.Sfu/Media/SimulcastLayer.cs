namespace Parley.Sfu.Media;

/// <summary>One encoding of a track: a simulcast layer (by rid) or the only encoding. Its SSRCs come from the offer
/// or are learned from its first packets; it keeps its own packet cache for retransmissions.</summary>
internal sealed class SimulcastLayer(int index, string? rid, uint? ssrc, uint? rtxSsrc, bool video, uint clockRate)
{
    private readonly BitrateMeter _meter = new();

    public int Index { get; } = index;

    public string? Rid { get; } = rid;

    public uint? Ssrc { get; set; } = ssrc;

    public uint? RtxSsrc { get; set; } = rtxSsrc;

    /// <summary>Milliseconds (of the producer's clock) of the last packet; long.MinValue before the first.</summary>
    public long LastPacketAt { get; set; } = long.MinValue;

    public long LastKeyFrameRequest { get; set; } = long.MinValue / 2;

    /// <summary>A key frame was asked for too soon after the last request; it is asked for once the interval ends.</summary>
    public bool KeyFrameRequestPending { get; set; }

    public PacketCache? Cache { get; } = video ? new PacketCache() : null;

    /// <summary>Losses from the publisher to ask it for again (video only).</summary>
    public NackGenerator? Nacks { get; } = video ? new NackGenerator() : null;

    /// <summary>What arrived of this encoding (RFC 3550 reception statistics).</summary>
    public ReceiveStatistics Statistics { get; } = new(clockRate);

    /// <summary>What the layer carried over the last complete second, in bits per second; 0 until measured.</summary>
    public long Bitrate => _meter.Bitrate;

    /// <summary>Counts a packet of <paramref name="bytes"/> at <paramref name="now"/> (ms) into the bitrate.</summary>
    public void Count(int bytes, long now) => _meter.Count(bytes, now);
}
