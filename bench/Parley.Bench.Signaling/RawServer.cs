using System.Buffers;
using System.Net.WebSockets;
using System.Runtime;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Parley.Bench.Signaling;

/// <summary>
/// The side-by-side peer: the least a .NET WebSocket chat server can do on the same wire. It accepts sockets at
/// <c>/openvidu</c>, answers every JSON-RPC request with a trivial result (joinRoom's carries a made-up connection
/// id, the <c>from</c> of that socket's signals), and forwards each <c>sendMessage</c> as a
/// <c>{"method":"sendMessage","params":{data,type,from}}</c> notification to every open socket of its room (the
/// <c>sessionId</c> in the socket's URL, as the clients send it; one room for all in the closed-loop mode), then
/// answers it. No sessions beyond that, no tokens, recipients, limits or checks. Each socket has one read loop and one write loop fed by an
/// unbounded queue; a notification is written once and the same bytes go to every socket, as in Parley.
/// Run as a child process: <c>Parley.Bench.Signaling raw-server --urls http://127.0.0.1:0</c>.
/// </summary>
internal static class RawServer
{
    public const string Command = "raw-server";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // as Parley's appsettings.json
        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) }); // as Parley
        var rooms = new RawRooms();
        app.Map("/openvidu", async (HttpContext http) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            RawPeers peers = rooms.Get(http.Request.Query["sessionId"].ToString());
            using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync();
            await ServeAsync(socket, peers, rooms.NextConnectionId(), http.RequestAborted);
        });
        Console.WriteLine($"raw server: GC server={GCSettings.IsServerGC} latency mode={GCSettings.LatencyMode}");
        await app.RunAsync();
        return 0;
    }

    private static async Task ServeAsync(WebSocket socket, RawPeers peers, string connectionId, CancellationToken aborted)
    {
        var peer = new RawPeer(socket, connectionId);
        peers.Add(peer);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (true)
            {
                int length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    received = await socket.ReceiveAsync(buffer.AsMemory(length), aborted);
                    length += received.Count;
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                Handle(peer, peers, buffer.AsSpan(0, length));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            peers.Remove(peer);
            ArrayPool<byte>.Shared.Return(buffer);
            await peer.StopAsync();
            if (socket.State == WebSocketState.CloseReceived)
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
                {
                    // Already gone.
                }
            }
        }
    }

    /// <summary>Answers one request; a <c>sendMessage</c> goes to every socket first. Frames that are not JSON-RPC
    /// requests are ignored (this server checks nothing).</summary>
    private static void Handle(RawPeer peer, RawPeers peers, ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        ReadOnlySpan<byte> id = default;
        bool sendMessage = false;
        bool joinRoom = false;
        byte[]? notification = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    id = reader.TokenType == JsonTokenType.Number ? reader.ValueSpan : default;
                }
                else if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    sendMessage = reader.ValueTextEquals("sendMessage"u8);
                    joinRoom = reader.ValueTextEquals("joinRoom"u8);
                }
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool message = reader.ValueTextEquals("message"u8);
                        reader.Read();
                        if (message && reader.TokenType == JsonTokenType.String)
                        {
                            notification = Forward(ref reader, peer.ConnectionId);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return;
        }

        if (id.IsEmpty)
        {
            return; // a notification from the client: nothing to answer
        }

        // The method may come after params: only a sendMessage is forwarded.
        if (sendMessage && notification is not null)
        {
            peers.Broadcast(notification);
        }

        peer.Send(Result(id, joinRoom ? peer.ConnectionId : null));
    }

    /// <summary>The notification for a <c>sendMessage</c> whose <c>message</c> string the reader is on:
    /// <c>{data, type}</c> from the JSON inside it, <c>from</c> the sending socket.</summary>
    private static byte[]? Forward(ref Utf8JsonReader outer, string from)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(outer.HasValueSequence ? (int)outer.ValueSequence.Length : outer.ValueSpan.Length);
        try
        {
            int length = outer.CopyString(rented);
            var inner = new Utf8JsonReader(rented.AsSpan(0, length));
            string? data = null;
            string? type = null;
            if (!inner.Read() || inner.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (inner.Read() && inner.TokenType == JsonTokenType.PropertyName)
            {
                bool isData = inner.ValueTextEquals("data"u8);
                bool isType = inner.ValueTextEquals("type"u8);
                inner.Read();
                if (isData && inner.TokenType == JsonTokenType.String)
                {
                    data = inner.GetString();
                }
                else if (isType && inner.TokenType == JsonTokenType.String)
                {
                    type = inner.GetString();
                }
                else
                {
                    inner.Skip();
                }
            }

            var output = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(output, WriterOptions))
            {
                json.WriteStartObject();
                json.WriteString("jsonrpc"u8, "2.0"u8);
                json.WriteString("method"u8, "sendMessage"u8);
                json.WriteStartObject("params"u8);
                if (data is not null)
                {
                    json.WriteString("data"u8, data);
                }

                if (type is not null)
                {
                    json.WriteString("type"u8, type);
                }

                json.WriteString("from"u8, from);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            return output.WrittenSpan.ToArray();
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary><c>{"jsonrpc":"2.0","id":…,"result":{}}</c>, or <c>{"id":…}</c> inside for joinRoom.</summary>
    private static byte[] Result(ReadOnlySpan<byte> id, string? connectionId)
    {
        var output = new ArrayBufferWriter<byte>(96);
        using (var json = new Utf8JsonWriter(output, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc"u8, "2.0"u8);
            json.WritePropertyName("id"u8);
            json.WriteRawValue(id, skipInputValidation: true);
            json.WriteStartObject("result"u8);
            if (connectionId is not null)
            {
                json.WriteString("id"u8, connectionId);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}

/// <summary>The open sockets of one room, as an array replaced on every join and leave, so a broadcast walks it
/// without a lock.</summary>
internal sealed class RawPeers
{
    private readonly Lock _gate = new();
    private RawPeer[] _peers = [];

    public void Add(RawPeer peer)
    {
        lock (_gate)
        {
            _peers = [.. _peers, peer];
        }
    }

    public void Remove(RawPeer peer)
    {
        lock (_gate)
        {
            _peers = [.. _peers.Where(p => p != peer)];
        }
    }

    public void Broadcast(byte[] frame)
    {
        foreach (RawPeer peer in Volatile.Read(ref _peers))
        {
            peer.Send(frame);
        }
    }
}

/// <summary>One socket's write side: frames queued by anyone, written in order by one loop. It counts the frames
/// waiting, as Parley does (which closes a socket at 1,024), to log the deepest queue when the socket closes.</summary>
internal sealed class RawPeer
{
    private static int s_deepest;

    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writing;
    private int _queued;
    private int _deepest;

    public RawPeer(WebSocket socket, string connectionId)
    {
        _socket = socket;
        ConnectionId = connectionId;
        _writing = WriteAsync();
    }

    public string ConnectionId { get; }

    public void Send(byte[] frame)
    {
        int queued = Interlocked.Increment(ref _queued);
        if (queued > _deepest)
        {
            _deepest = queued; // racy, and good enough for a log line
        }

        _queue.Writer.TryWrite(frame);
    }

    public async Task StopAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
        int before = s_deepest;
        if (_deepest > before && Interlocked.CompareExchange(ref s_deepest, _deepest, before) == before)
        {
            Console.WriteLine($"raw server: {ConnectionId} closed; up to {_deepest} frames waited for it, the most on any socket so far");
        }
    }

    private async Task WriteAsync()
    {
        ChannelReader<byte[]> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (reader.TryRead(out byte[]? frame))
                {
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    Interlocked.Decrement(ref _queued);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket is gone; the rest is dropped.
        }
    }
}
