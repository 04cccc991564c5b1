using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Parley.Signaling.Tests;

/// <summary>A JSON-RPC client over a WebSocket, numbering requests from 0 as openvidu-browser does, keeping every
/// frame it receives so tests can look for answers and notifications in order.</summary>
internal sealed class RpcTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly Channel<JsonObject> _incoming = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _seen = [];
    private readonly Task _receiving;
    private int _nextId;

    public RpcTestClient(WebSocket socket)
    {
        Socket = socket;
        _receiving = ReceiveAsync();
    }

    public WebSocket Socket { get; }

    /// <summary>Every frame received so far, answers and notifications, in arrival order.</summary>
    public IReadOnlyList<JsonObject> Seen
    {
        get
        {
            Drain();
            return [.. _seen];
        }
    }

    /// <summary>Why the socket ended without a close handshake, if it did.</summary>
    public string? ClosedBecause { get; private set; }

    /// <summary>Set when the server closed the socket.</summary>
    public Task Closed => _receiving;

    public async Task<int> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = _nextId++;
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["id"] = id };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        await SendRawAsync(request.ToJsonString());
        return id;
    }

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type) =>
        await Socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>Calls a method and returns its whole answer frame.</summary>
    public async Task<JsonObject> CallAsync(string method, JsonObject? parameters = null)
    {
        int id = await SendAsync(method, parameters);
        return await WaitForAsync(m => m["id"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.GetValue<int>() == id,
            $"the answer to {method} #{id}");
    }

    /// <summary>Calls a method that must succeed; returns its result object.</summary>
    public async Task<JsonObject> CallResultAsync(string method, JsonObject? parameters = null)
    {
        JsonObject answer = await CallAsync(method, parameters);
        Assert.True(answer["result"] is JsonObject, $"{method} failed: {answer.ToJsonString()}");
        Assert.Equal("2.0", answer["jsonrpc"]!.GetValue<string>());
        return answer["result"]!.AsObject();
    }

    /// <summary>Calls a method that must fail; returns its error object.</summary>
    public async Task<JsonObject> CallErrorAsync(string method, JsonObject? parameters = null)
    {
        JsonObject answer = await CallAsync(method, parameters);
        Assert.True(answer["error"] is JsonObject, $"{method} should have failed: {answer.ToJsonString()}");
        Assert.Null(answer["result"]);
        return answer["error"]!.AsObject();
    }

    /// <summary>Waits for a notification of <paramref name="method"/> (matching <paramref name="where"/>); returns its params.</summary>
    public async Task<JsonObject> NotificationAsync(string method, Func<JsonObject, bool>? where = null)
    {
        JsonObject frame = await WaitForAsync(
            m => m["method"]?.GetValue<string>() == method && !m.ContainsKey("id") && (where is null || where(m["params"]!.AsObject())),
            $"a {method} notification");
        return frame["params"]!.AsObject();
    }

    /// <summary>The notifications of <paramref name="method"/> received so far.</summary>
    public IReadOnlyList<JsonObject> Notifications(string method) =>
        [.. Seen.Where(m => m["method"]?.GetValue<string>() == method).Select(m => m["params"]!.AsObject())];

    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(Patience);
        Drain();
        foreach (JsonObject seen in _seen)
        {
            if (match(seen))
            {
                return seen;
            }
        }

        try
        {
            while (true)
            {
                JsonObject message = await _incoming.Reader.ReadAsync(timeout.Token);
                _seen.Add(message);
                if (match(message))
                {
                    return message;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No {what} within {Patience.TotalSeconds} s (socket {Socket.State}, {ClosedBecause}); received: {string.Join("\n", _seen.Select(m => m.ToJsonString()))}");
        }
    }

    /// <summary>Waits until the server has closed the socket.</summary>
    public async Task WaitClosedAsync() => await _receiving.WaitAsync(Patience);

    private void Drain()
    {
        while (_incoming.Reader.TryRead(out JsonObject? message))
        {
            _seen.Add(message);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (Socket.State == WebSocketState.Open)
            {
                int length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _incoming.Writer.TryWrite(JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject());
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            ClosedBecause = e.Message;
        }
        finally
        {
            _incoming.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Socket.Abort();
        await _receiving.WaitAsync(Patience).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Socket.Dispose();
    }
}
