using System.Net.WebSockets;
using System.Threading.Channels;

namespace Parley.Signaling.Rpc;

/// <summary>
/// Writes one WebSocket's frames in order from a queue, so notifications fan out without waiting on slow clients.
/// A client that lets <see cref="MaxQueuedBytes"/> (or <see cref="MaxQueuedFrames"/>) pile up is not reading: its
/// socket is closed and the frames go back to its RPC session for when it reconnects. The limits are generous, so a
/// busy machine's passing lag (tens of thousands of frames a second in a busy room) does not cost anyone a socket. A client that sends requests faster than it reads the answers is
/// slowed instead: its requests are not read while <see cref="ReadPauseFrames"/> frames wait for it.
/// </summary>
internal sealed class WebSocketSender : IFrameSink
{
    internal const int MaxQueuedFrames = 65_536;

    internal const long MaxQueuedBytes = 8 << 20;

    /// <summary>Above this many queued frames the client's next request waits until the queue is down to a quarter.</summary>
    internal const int ReadPauseFrames = 512;

    private const int ResumeFrames = ReadPauseFrames / 2;

    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private int _queued;
    private long _queuedBytes;
    private volatile bool _closed;
    private TaskCompletionSource? _drained;

    public WebSocketSender(WebSocket socket)
    {
        _socket = socket;
        Completion = RunAsync();
    }

    /// <summary>Ends when the socket can take no more frames.</summary>
    public Task Completion { get; }

    public bool TrySend(byte[] frame)
    {
        if (_closed)
        {
            return false;
        }

        if (Interlocked.Increment(ref _queued) > MaxQueuedFrames || Interlocked.Add(ref _queuedBytes, frame.Length) > MaxQueuedBytes)
        {
            Abort();
            return false;
        }

        return _queue.Writer.TryWrite(frame);
    }

    /// <summary>Completes when the client has caught up enough to be sent more answers (or the socket is gone).</summary>
    public Task CaughtUpAsync()
    {
        if (Volatile.Read(ref _queued) <= ReadPauseFrames || _closed)
        {
            return Task.CompletedTask;
        }

        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Volatile.Read(ref _queued) <= ResumeFrames || _closed)
        {
            drained.TrySetResult(); // the writer caught up before it could see the waiter
        }

        return drained.Task;
    }

    public IReadOnlyList<byte[]> TakeUnsent()
    {
        List<byte[]> unsent = [];
        if (!Completion.IsCompleted)
        {
            return unsent; // still writing: nothing to hand back
        }

        while (_queue.Reader.TryRead(out byte[]? frame))
        {
            unsent.Add(frame);
        }

        return unsent;
    }

    public void Abort()
    {
        _closed = true;
        _stop.Cancel();
        _socket.Abort();
    }

    /// <summary>Stops writing once the socket has closed (its read loop ended).</summary>
    public async Task StopAsync()
    {
        _closed = true;
        await _stop.CancelAsync();
        await Completion;
    }

    private async Task RunAsync()
    {
        ChannelReader<byte[]> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (reader.TryPeek(out byte[]? frame))
                {
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
                    reader.TryRead(out _); // only a frame fully handed to the socket leaves the queue
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    if (Interlocked.Decrement(ref _queued) <= ResumeFrames)
                    {
                        Interlocked.Exchange(ref _drained, null)?.TrySetResult();
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The socket is gone; what is still queued goes back to the RPC session.
        }
        finally
        {
            _closed = true;
            Interlocked.Exchange(ref _drained, null)?.TrySetResult();
        }
    }
}
