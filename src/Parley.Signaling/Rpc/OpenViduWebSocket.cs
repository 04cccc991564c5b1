using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Signaling.Rpc;

/// <summary>
/// The WebSocket at <c>/openvidu</c> that openvidu-browser opens (<c>ws(s)://host/openvidu?sessionId=…</c>; the query
/// is ignored, as the reference does): text frames of one JSON-RPC message each, read in order and answered in
/// order. Bad frames get JSON-RPC error objects; the socket stays open.
/// </summary>
public static partial class OpenViduWebSocket
{
    /// <summary>The close code openvidu-browser uses when it leaves on purpose.</summary>
    private const WebSocketCloseStatus ClosedByClient = (WebSocketCloseStatus)4102;

    public static IEndpointRouteBuilder MapOpenViduWebSocket(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/openvidu", async (HttpContext http) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsJsonAsync(new { status = 400, error = "Bad Request", message = "Expected a WebSocket upgrade" });
                return;
            }

            using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync();
            IServiceProvider services = http.RequestServices;
            await RunAsync(socket, http, services.GetRequiredService<SignalingService>(),
                services.GetRequiredService<OpenViduRpcHandler>(), services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenViduWebSocket)));
        });
        return endpoints;
    }

    private static async Task RunAsync(WebSocket socket, HttpContext http, SignalingService signaling, OpenViduRpcHandler handler, ILogger log)
    {
        var sender = new WebSocketSender(socket);
        RpcSession rpc = signaling.RpcSessions.Create(signaling.Sessions.Now);
        await rpc.AttachAsync(sender, signaling.Sessions.Now);
        string? ip = http.Request.Headers["X-Real-IP"].FirstOrDefault() ?? http.Connection.RemoteIpAddress?.ToString();
        var connection = new RpcConnection(sender, rpc, ip, PublicHost(http, signaling.Options));
        var message = new ArrayBufferWriter<byte>(4096);
        int limit = signaling.Options.MaxMessageBytes;
        try
        {
            while (true)
            {
                await sender.CaughtUpAsync(); // a client that does not read its answers is not read from either
                message.ResetWrittenCount();
                bool tooLarge = false;
                ValueWebSocketReceiveResult received;
                do
                {
                    Memory<byte> space = message.GetMemory(4096);
                    received = await socket.ReceiveAsync(space, http.RequestAborted);
                    if (message.WrittenCount + received.Count > limit)
                    {
                        tooLarge = true;
                        message.ResetWrittenCount(); // drop the rest of this message, keep reading it off the socket
                    }
                    else
                    {
                        message.Advance(received.Count);
                    }
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                byte[]? answer = received.MessageType == WebSocketMessageType.Binary
                    ? JsonRpcFrames.Error(null, RpcErrorCodes.ParseError, "Binary frames are not JSON-RPC: send text frames", null)
                    : tooLarge
                        ? JsonRpcFrames.Error(null, RpcErrorCodes.InvalidRequest, $"Message exceeds {limit} bytes", null)
                        : await AnswerAsync(connection, handler, message.WrittenSpan.ToArray(), log);
                if (answer is not null)
                {
                    connection.Session.Send(answer);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away without a close handshake, or broke the WebSocket protocol (a text frame that is
            // not UTF-8 fails the connection, RFC 6455 §8.1); it may resume within the reconnection window.
            LogSocketFailed(log, e.Message);
        }
        finally
        {
            await sender.StopAsync();
            await EndAsync(connection, socket, signaling, log);
        }
    }

    private static async ValueTask<byte[]?> AnswerAsync(RpcConnection connection, OpenViduRpcHandler handler, byte[] frame, ILogger log)
    {
        if (!JsonRpcRequest.TryParse(frame, out JsonRpcRequest? request, out JsonRpcError? error))
        {
            return error is null ? null : JsonRpcFrames.Error(error.Id, error.Code, error.Message, connection.Session.Id);
        }

        byte[]? answer;
        try
        {
            answer = await handler.HandleAsync(connection, request!);
        }
        catch (RpcException e)
        {
            answer = JsonRpcFrames.Error(request!.Id, e.Code, e.Message, connection.Session.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogHandlerFailed(log, request!.Method, e);
            answer = JsonRpcFrames.Error(request.Id, -32603, $"Internal error in '{request.Method}'", connection.Session.Id);
        }

        return request!.HasId ? answer : null; // notifications get no answer
    }

    /// <summary>
    /// The socket is gone. A client that closed it on purpose (openvidu-browser's 4102, sent after leaveRoom and when
    /// its page unloads) leaves at once. Any other end, a close frame without a code included (.NET reports that as
    /// 1000, and browsers send it for a bare <c>close()</c>) or a proxy's 1001, keeps the participant for the
    /// reconnection window, as OpenVidu does.
    /// </summary>
    private static async Task EndAsync(RpcConnection connection, WebSocket socket, SignalingService signaling, ILogger log)
    {
        RpcSession rpc = connection.Session;
        if (!rpc.Detach(connection.Sink, signaling.Sessions.Now))
        {
            return; // resumed on another socket meanwhile
        }

        bool onPurpose = socket.CloseStatus == ClosedByClient;
        if (rpc.Participant is { } participant && rpc.Session is { } session && onPurpose)
        {
            signaling.RemoveConnection(session, participant.ConnectionId, EndReason.Disconnect, evicted: false);
        }

        if (rpc.Participant is null)
        {
            signaling.RpcSessions.Remove(rpc);
        }
        else
        {
            LogAwaitingReconnection(log, rpc.Participant.ConnectionId);
        }

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

    private static string PublicHost(HttpContext http, SignalingOptions options) =>
        options.PublicUrl is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) ? uri.Host : http.Request.Host.Host;

    [LoggerMessage(Level = LogLevel.Error, Message = "RPC method {Method} failed")]
    private static partial void LogHandlerFailed(ILogger log, string method, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WebSocket ended without a close handshake: {Reason}")]
    private static partial void LogSocketFailed(ILogger log, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} lost its socket; waiting for it to reconnect")]
    private static partial void LogAwaitingReconnection(ILogger log, string connectionId);
}
