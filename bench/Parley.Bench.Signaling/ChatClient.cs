using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Parley.Bench.Common;

namespace Parley.Bench.Signaling;

/// <summary>What every client of a round shares: who the senders are and when the measurement runs.</summary>
internal sealed class RoundPlan(int senders)
{
    public int Senders { get; } = senders;

    /// <summary>Each sender's connection id as the server named it in joinRoom's answer: the expected <c>from</c>.</summary>
    public byte[]?[] SenderIds { get; } = new byte[]?[senders];

    /// <summary>Latencies are recorded for signals received in [start, end), in <see cref="Stopwatch"/> ticks.</summary>
    public long WindowStart { get; set; } = long.MaxValue;

    public long WindowEnd { get; set; } = long.MaxValue;
}

/// <summary>
/// One participant: a WebSocket speaking OpenVidu's JSON-RPC as openvidu-browser does (a first ping announcing its
/// interval, joinRoom, then a ping every 5 s), reading everything the server sends with one receive loop and
/// checking every chat signal: it must come from the sender its data names, and each sender's signals must arrive
/// numbered 0, 1, 2… with none missing, repeated or out of order. A sender also sends signals, keeping at most
/// <c>window</c> sendMessage requests unanswered. Parsing works on the received bytes; a frame allocates nothing.
/// </summary>
internal sealed class ChatClient : IAsyncDisposable
{
    private const int MaxFrameBytes = 16 << 20;
    private const int MaxErrorSamples = 5;
    private static readonly double MicrosecondsPerTick = 1e6 / Stopwatch.Frequency;

    private readonly ClientWebSocket _socket = new();
    private readonly RoundPlan _plan;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _sendBuffer = new byte[512];
    private readonly long[] _nextSeq;
    private readonly SemaphoreSlim? _window;
    private readonly List<string> _errorSamples = [];
    private byte[] _receiveBuffer = new byte[16 * 1024];
    private Task _receiving = Task.CompletedTask;
    private TaskCompletionSource<string>? _joined;
    private long _nextId;
    private long _joinId = -1;
    private long _pendingPing = -1;
    private long _outstanding;
    private long _sent;
    private long _accepted;
    private long _delivered;
    private long _otherNotifications;
    private long _latePongs;
    private long _errors;
    private bool _pinged;

    public ChatClient(int index, int senderIndex, int window, RoundPlan plan)
    {
        Index = index;
        SenderIndex = senderIndex;
        _plan = plan;
        _nextSeq = new long[plan.Senders];
        _window = senderIndex >= 0 ? new SemaphoreSlim(window, window) : null;
        _socket.Options.KeepAliveInterval = TimeSpan.Zero; // the JSON-RPC pings keep it alive, as in the browser
    }

    public int Index { get; }

    /// <summary>This client's number among the senders, or -1 when it only listens.</summary>
    public int SenderIndex { get; }

    /// <summary>Signals this sender has sent (the next one's number).</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>sendMessage requests answered with a result.</summary>
    public long Accepted => Volatile.Read(ref _accepted);

    /// <summary>sendMessage requests not yet answered.</summary>
    public long Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Chat signals received, from every sender.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    /// <summary>Other notifications (participantJoined, participantLeft…), read and ignored.</summary>
    public long OtherNotifications => Volatile.Read(ref _otherNotifications);

    /// <summary>Pings still unanswered when the next one was due (the browser would reconnect).</summary>
    public long LatePongs => Volatile.Read(ref _latePongs);

    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Why the receive loop ended, once it has.</summary>
    public string? Ended { get; private set; }

    public bool HasEnded => _receiving.IsCompleted;

    /// <summary>Round-trip latencies of the signals received in the plan's window.</summary>
    public LatencyHistogram Latency { get; } = new();

    public IReadOnlyList<string> ErrorSamples
    {
        get
        {
            lock (_errorSamples)
            {
                return [.. _errorSamples];
            }
        }
    }

    /// <summary>How many of <paramref name="sender"/>'s signals arrived so far, in order.</summary>
    public long ReceivedFrom(int sender) => Volatile.Read(ref _nextSeq[sender]);

    public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(uri, cancellationToken);
        _receiving = ReceiveLoopAsync(cancellationToken);
    }

    /// <summary>joinRoom with the token; the connection id the server answers with. Throws when it refuses or is
    /// silent for <paramref name="timeout"/>.</summary>
    public async Task<string> JoinAsync(string token, string sessionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var joined = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _joined = joined;
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            long id = _nextId++;
            Volatile.Write(ref _joinId, id);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("jsonrpc", "2.0");
                json.WriteString("method", "joinRoom");
                json.WriteStartObject("params");
                json.WriteString("token", token);
                json.WriteString("session", sessionId);
                json.WriteString("platform", "Parley.Bench.Signaling");
                json.WriteString("sdkVersion", "2.32.2");
                json.WriteString("metadata", "");
                json.WriteString("secret", "");
                json.WriteBoolean("recorder", false);
                json.WriteBoolean("stt", false);
                json.WriteEndObject();
                json.WriteNumber("id", id);
                json.WriteEndObject();
            }

            await _socket.SendAsync(buffer.ToArray(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }

        Task finished = await Task.WhenAny(joined.Task, _receiving, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (finished != joined.Task)
        {
            throw new BenchmarkException(finished == _receiving
                ? $"client {Index}: the socket ended before joinRoom was answered ({Ended})"
                : $"client {Index}: joinRoom unanswered after {timeout.TotalSeconds:0} s");
        }

        return await joined.Task;
    }

    /// <summary>A ping: the first announces the 5 s interval, as openvidu-browser's does; later ones have no params.
    /// <paramref name="cancellationToken"/> stops the wait for the socket, not a send under way (that would abort the
    /// socket, which the server would take for a network drop rather than the client leaving).</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State != WebSocketState.Open)
            {
                return;
            }

            long id = _nextId++;
            if (Interlocked.Exchange(ref _pendingPing, id) >= 0)
            {
                Interlocked.Increment(ref _latePongs);
            }

            bool written = _pinged
                ? Utf8.TryWrite(_sendBuffer, CultureInfo.InvariantCulture, $$"""{"jsonrpc":"2.0","method":"ping","id":{{id}}}""", out int length)
                : Utf8.TryWrite(_sendBuffer, CultureInfo.InvariantCulture, $$"""{"jsonrpc":"2.0","method":"ping","params":{"interval":{{(int)LoadSettings.PingInterval.TotalMilliseconds}}},"id":{{id}}}""", out length);
            Debug.Assert(written);
            _pinged = true;
            await _socket.SendAsync(_sendBuffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends chat signals numbered from 0 until <paramref name="stop"/>, at most the window unanswered at a time.
    /// Sends themselves are only cancelled by <paramref name="abort"/> (a cancelled WebSocket send kills the socket).
    /// </summary>
    public async Task SendLoopAsync(CancellationToken stop, CancellationToken abort)
    {
        SemaphoreSlim window = _window ?? throw new InvalidOperationException($"client {Index} is not a sender");
        try
        {
            while (true)
            {
                await window.WaitAsync(stop);
                await SendSignalAsync(abort);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            // Time is up.
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            Fault($"sending failed: {e.Message}");
        }
    }

    /// <summary>
    /// Sends chat signals numbered from 0 until <paramref name="stop"/>, one per <paramref name="interval"/> on a
    /// timer, the first after <paramref name="offset"/> (senders spread over the interval). A tick missed because
    /// the window is full (the server is behind) is not made up: the rate achieved shows it.
    /// </summary>
    public async Task PacedSendLoopAsync(TimeSpan interval, TimeSpan offset, CancellationToken stop, CancellationToken abort)
    {
        SemaphoreSlim window = _window ?? throw new InvalidOperationException($"client {Index} is not a sender");
        try
        {
            await Task.Delay(offset, stop);
            using var timer = new PeriodicTimer(interval);
            do
            {
                await window.WaitAsync(stop);
                await SendSignalAsync(abort);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            // Time is up.
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            Fault($"sending failed: {e.Message}");
        }
    }

    /// <summary>Closes as openvidu-browser does when it leaves (code 4102) and waits for the server's close.</summary>
    public async Task CloseAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _sendLock.WaitAsync(deadline.Token);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)4102, "bench done", deadline.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }

            await _receiving.WaitAsync(deadline.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Ended by the abort.
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _window?.Dispose();
    }

    private async Task SendSignalAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            long id = _nextId++;
            long seq = _sent;
            long now = Stopwatch.GetTimestamp();
            bool written = Utf8.TryWrite(_sendBuffer, CultureInfo.InvariantCulture,
                $$"""{"jsonrpc":"2.0","method":"sendMessage","params":{"message":"{\"to\":[],\"data\":\"{{seq}}|{{SenderIndex}}|{{now}}\",\"type\":\"signal:chat\"}"},"id":{{id}}}""",
                out int length);
            Debug.Assert(written);
            Interlocked.Increment(ref _outstanding);
            await _socket.SendAsync(_sendBuffer.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            Volatile.Write(ref _sent, seq + 1);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                int length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == _receiveBuffer.Length)
                    {
                        if (length >= MaxFrameBytes)
                        {
                            Fault($"a frame over {MaxFrameBytes} bytes");
                            Ended = "frame too large";
                            _socket.Abort();
                            return;
                        }

                        Array.Resize(ref _receiveBuffer, length * 2);
                    }

                    received = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(length), cancellationToken);
                    length += received.Count;
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    Ended = $"closed by the server ({(int?)_socket.CloseStatus} {_socket.CloseStatusDescription})";
                    return;
                }

                OnFrame(_receiveBuffer.AsSpan(0, length), Stopwatch.GetTimestamp());
            }
        }
        catch (OperationCanceledException)
        {
            Ended = "stopped";
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            Ended = $"socket failed: {e.Message}";
        }
        finally
        {
            _joined?.TrySetException(new BenchmarkException($"client {Index}: the socket ended before joinRoom was answered ({Ended})"));
        }
    }

    /// <summary>One frame from the server: a notification (a chat signal, or something else to ignore) or the
    /// answer to one of this client's requests.</summary>
    private void OnFrame(ReadOnlySpan<byte> frame, long now)
    {
        var reader = new Utf8JsonReader(frame);
        bool notification = false;
        bool signal = false;
        bool escaped = false;
        long id = -1;
        bool hasError = false;
        ReadOnlySpan<byte> data = default;
        ReadOnlySpan<byte> type = default;
        ReadOnlySpan<byte> from = default;
        ReadOnlySpan<byte> resultId = default;
        ReadOnlySpan<byte> error = default;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                Fault("a frame that is not a JSON object: " + Excerpt(frame));
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    notification = true;
                    signal = reader.ValueTextEquals("sendMessage"u8);
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out id))
                    {
                        id = -1;
                    }
                }
                else if (reader.ValueTextEquals("params"u8) || reader.ValueTextEquals("result"u8))
                {
                    bool isParams = reader.ValueTextEquals("params"u8);
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        int field = !isParams ? (reader.ValueTextEquals("id"u8) ? 4 : 0)
                            : reader.ValueTextEquals("data"u8) ? 1
                            : reader.ValueTextEquals("type"u8) ? 2
                            : reader.ValueTextEquals("from"u8) ? 3
                            : 0;
                        reader.Read();
                        if (field == 0 || reader.TokenType != JsonTokenType.String)
                        {
                            reader.Skip();
                            continue;
                        }

                        escaped |= reader.ValueIsEscaped;
                        switch (field)
                        {
                            case 1:
                                data = reader.ValueSpan;
                                break;
                            case 2:
                                type = reader.ValueSpan;
                                break;
                            case 3:
                                from = reader.ValueSpan;
                                break;
                            default:
                                resultId = reader.ValueSpan;
                                break;
                        }
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    hasError = true;
                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    error = frame[start..(int)reader.BytesConsumed];
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            Fault($"malformed JSON ({e.Message}): {Excerpt(frame)}");
            return;
        }

        if (notification)
        {
            if (!signal)
            {
                Volatile.Write(ref _otherNotifications, _otherNotifications + 1);
            }
            else if (escaped)
            {
                Fault("a signal with escaped characters where none belong: " + Excerpt(frame));
            }
            else
            {
                OnSignal(data, type, from, now, frame);
            }

            return;
        }

        if (id < 0)
        {
            Fault("a frame that is neither a notification nor an answer: " + Excerpt(frame));
            return;
        }

        if (id == Volatile.Read(ref _joinId))
        {
            Volatile.Write(ref _joinId, -1);
            if (hasError || resultId.IsEmpty)
            {
                _joined?.TrySetException(new BenchmarkException($"client {Index}: joinRoom failed: {Excerpt(frame)}"));
            }
            else
            {
                _joined?.TrySetResult(Encoding.UTF8.GetString(resultId));
            }

            return;
        }

        if (Interlocked.CompareExchange(ref _pendingPing, -1, id) == id)
        {
            if (hasError)
            {
                Fault("ping failed: " + Encoding.UTF8.GetString(error));
            }

            return;
        }

        // The answer to a sendMessage: the server has taken the signal; another may go.
        if (_window is null || Interlocked.Decrement(ref _outstanding) < 0)
        {
            Fault("an answer to no request: " + Excerpt(frame));
            return;
        }

        if (hasError)
        {
            Fault("sendMessage failed: " + Encoding.UTF8.GetString(error));
        }
        else
        {
            Volatile.Write(ref _accepted, _accepted + 1);
        }

        _window.Release();
    }

    /// <summary>A chat signal, <c>data</c> = "seq|sender|send-timestamp": checks it and records its latency.</summary>
    private void OnSignal(ReadOnlySpan<byte> data, ReadOnlySpan<byte> type, ReadOnlySpan<byte> from, long now, ReadOnlySpan<byte> frame)
    {
        if (!type.SequenceEqual("signal:chat"u8)
            || !Utf8Parser.TryParse(data, out long seq, out int used) || used >= data.Length || data[used] != (byte)'|'
            || !Utf8Parser.TryParse(data = data[(used + 1)..], out int sender, out used) || used >= data.Length || data[used] != (byte)'|'
            || !Utf8Parser.TryParse(data = data[(used + 1)..], out long sentAt, out used) || used != data.Length
            || sender < 0 || sender >= _plan.Senders)
        {
            Fault("a malformed chat signal: " + Excerpt(frame));
            return;
        }

        if (_plan.SenderIds[sender] is { } expectedFrom && !from.SequenceEqual(expectedFrom))
        {
            Fault($"signal {seq} of sender {sender} has from \"{Encoding.UTF8.GetString(from)}\", not \"{Encoding.UTF8.GetString(expectedFrom)}\"");
        }

        long expected = _nextSeq[sender];
        if (seq == expected)
        {
            Volatile.Write(ref _nextSeq[sender], seq + 1);
        }
        else if (seq > expected)
        {
            Fault($"signals {expected}..{seq - 1} of sender {sender} missing: {seq} came next");
            Volatile.Write(ref _nextSeq[sender], seq + 1);
        }
        else
        {
            Fault($"signal {seq} of sender {sender} came after {expected - 1} (out of order or repeated)");
        }

        Volatile.Write(ref _delivered, _delivered + 1);
        if (now >= _plan.WindowStart && now < _plan.WindowEnd)
        {
            Latency.Record((long)((now - sentAt) * MicrosecondsPerTick));
        }
    }

    private void Fault(string description)
    {
        Interlocked.Increment(ref _errors);
        lock (_errorSamples)
        {
            if (_errorSamples.Count < MaxErrorSamples)
            {
                _errorSamples.Add($"client {Index}: {description}");
            }
        }
    }

    private static string Excerpt(ReadOnlySpan<byte> frame) =>
        Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 300)]) + (frame.Length > 300 ? "…" : "");
}
