using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>
/// One participant's WebSocket to OpenVidu's JSON-RPC endpoint (/openvidu), as openvidu-browser speaks it: requests
/// with ids, their results matched by id, notifications ignored. No pings, so the server keeps no keep-alive on it.
/// </summary>
internal sealed class OpenViduClient : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private Task? _receiving;
    private int _nextId;

    /// <summary>Connects with the token's URL (<c>ws://host?sessionId=…&amp;token=…</c>) and joins the session.</summary>
    public async Task JoinAsync(Uri httpBase, string token, string sessionId, CancellationToken cancellationToken)
    {
        var tokenUri = new Uri(token);
        var uri = new UriBuilder(httpBase) { Scheme = "ws", Path = "/openvidu", Query = tokenUri.Query.TrimStart('?') }.Uri;
        await _socket.ConnectAsync(uri, cancellationToken);
        _receiving = ReceiveLoopAsync();
        await CallAsync("joinRoom", new JsonObject
        {
            ["token"] = token, ["session"] = sessionId, ["platform"] = "Parley.Bench.Sfu", ["sdkVersion"] = "2.32.2",
            ["metadata"] = "", ["secret"] = "", ["recorder"] = false, ["stt"] = false,
        }, cancellationToken);
    }

    /// <summary>Sends a request and returns its result; an error answer is a <see cref="BenchmarkException"/>.</summary>
    public async Task<JsonNode> CallAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        int id = Interlocked.Increment(ref _nextId);
        var result = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = result;
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["id"] = id, ["params"] = parameters };
        byte[] bytes = Encoding.UTF8.GetBytes(request.ToJsonString());
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }

        try
        {
            return await result.Task.WaitAsync(RequestTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new BenchmarkException($"{method} unanswered after {RequestTimeout.TotalSeconds:0} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync((WebSocketCloseStatus)4102, "leave", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The server is gone already.
        }

        _socket.Abort();
        if (_receiving is not null)
        {
            await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _socket.Dispose();
        _sendGate.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult received = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer.AsSpan(0, received.Count));
                if (!received.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed.
        }

        foreach (TaskCompletionSource<JsonNode> pending in _pending.Values)
        {
            pending.TrySetException(new BenchmarkException("the server closed the WebSocket"));
        }
    }

    private void Dispatch(byte[] frame)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(frame);
        }
        catch (JsonException)
        {
            return;
        }

        if (node?["id"] is not JsonValue idValue || !idValue.TryGetValue(out int id) || !_pending.TryRemove(id, out TaskCompletionSource<JsonNode>? pending))
        {
            return; // a notification
        }

        if (node["error"] is { } error)
        {
            pending.TrySetException(new BenchmarkException($"the server answered an error: {error.ToJsonString()}"));
        }
        else
        {
            pending.TrySetResult(node["result"] ?? new JsonObject());
        }
    }
}
