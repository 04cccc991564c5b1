namespace Parley.Sockets.Tests;

/// <summary>Records what a <see cref="SendBatch"/> reported for each tag.</summary>
internal sealed class RecordingListener : ISendBatchListener
{
    public List<int> Sent { get; } = [];

    public List<(int Tag, int Error)> Dropped { get; } = [];

    void ISendBatchListener.Sent(int tag) => Sent.Add(tag);

    void ISendBatchListener.Dropped(int tag, int error) => Dropped.Add((tag, error));
}
