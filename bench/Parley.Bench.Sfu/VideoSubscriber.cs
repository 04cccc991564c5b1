namespace Parley.Bench.Sfu;

/// <summary>A subscriber peer and the publisher whose video it receives.</summary>
internal sealed class VideoSubscriber(LoadPeer peer, int index, int publisher)
{
    public LoadPeer Peer { get; } = peer;

    public int Index { get; } = index;

    public int Publisher { get; } = publisher;

    private const int Remembered = 1024;

    /// <summary>The publisher's counters of the last packets received, by counter modulo their number (+1, so that
    /// 0 means none): a packet whose counter is already there is a duplicate.</summary>
    private readonly long[] _recent = new long[Remembered];

    private long _received;

    /// <summary>Packets received so far (written by the owning load thread, read by anyone).</summary>
    public long Received
    {
        get => Volatile.Read(ref _received);
        set => Volatile.Write(ref _received, value);
    }

    public long Duplicates { get; set; }

    /// <summary>Remembers the packet; false when it was received already.</summary>
    public bool IsFirstCopy(long counter)
    {
        ref long slot = ref _recent[counter % Remembered];
        if (slot == counter + 1)
        {
            Duplicates++;
            return false;
        }

        slot = counter + 1;
        return true;
    }
}
