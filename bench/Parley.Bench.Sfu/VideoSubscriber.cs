namespace Parley.Bench.Sfu;

/// <summary>A subscriber peer and the publisher whose video it receives.</summary>
internal sealed class VideoSubscriber(LoadPeer peer, int index, int publisher)
{
    public LoadPeer Peer { get; } = peer;

    public int Index { get; } = index;

    public int Publisher { get; } = publisher;

    public long Received { get; set; }
}
