namespace Parley.Signaling.Rpc;

/// <summary>Where an RPC session's frames go while a client is attached: one WebSocket, written in order.</summary>
public interface IFrameSink
{
    /// <summary>Queues a frame; false when the sink is closed or its client has stopped reading (it then closes).</summary>
    bool TrySend(byte[] frame);

    /// <summary>Frames queued but not yet written, handed back once <see cref="Completion"/> has ended so nothing
    /// queued is lost.</summary>
    IReadOnlyList<byte[]> TakeUnsent();

    /// <summary>Ends when the sink writes no more.</summary>
    Task Completion { get; }

    /// <summary>Closes the client's socket (it may come back with <c>connect</c> within the reconnection window).</summary>
    void Abort();
}
