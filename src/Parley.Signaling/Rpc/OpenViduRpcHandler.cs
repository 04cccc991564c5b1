using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Parley.Signaling.Media;

namespace Parley.Signaling.Rpc;

/// <summary>
/// The JSON-RPC methods openvidu-browser 2.32 calls (openvidu-protocol.md §1.6): session membership, keep-alive,
/// reconnection, signals and moderation here; publishing and subscribing in the <c>.Media</c> part, through
/// <see cref="IMediaServer"/>. Each call returns the frame to answer with (null when already sent), or throws an
/// <see cref="RpcException"/>.
/// </summary>
internal sealed partial class OpenViduRpcHandler(
    SignalingService signaling, IMediaServer media, IIceServerProvider iceServers, ILogger<OpenViduRpcHandler> log)
{
    /// <summary>The OpenVidu version announced: openvidu-browser requires a 2.32.x semver.</summary>
    public const string Version = "2.32.2";

    private static readonly HashSet<string> FilterMethods = new(StringComparer.Ordinal)
    {
        "applyFilter", "execFilterMethod", "removeFilter", "addFilterEventListener", "removeFilterEventListener",
    };

    private SessionRegistry Sessions => signaling.Sessions;

    public async ValueTask<byte[]?> HandleAsync(RpcConnection connection, JsonRpcRequest request)
    {
        RpcSession rpc = connection.Session;
        switch (request.Method)
        {
            case "ping":
                return Ping(rpc, request);
            case "connect":
                return await ConnectAsync(connection, request);
            case "joinRoom":
                return JoinRoom(connection, request);
            case "echo":
                return JsonRpcFrames.Result(request.Id, rpc.Id);
        }

        if (rpc.Participant is not { } participant || rpc.Session is not { } session)
        {
            throw new RpcException(RpcErrorCodes.TransportError, $"Method '{request.Method}' needs a participant: call joinRoom first");
        }

        switch (request.Method)
        {
            case "leaveRoom":
                signaling.RemoveConnection(session, participant.ConnectionId, EndReason.Disconnect, evicted: false);
                return JsonRpcFrames.Result(request.Id, rpc.Id);
            case "sendMessage":
                return SendMessage(rpc, session, participant, request);
            case "forceDisconnect":
                return ForceDisconnect(rpc, session, participant, request);
            case "forceUnpublish":
                return ForceUnpublish(rpc, session, participant, request);
            case "publishVideo":
                return await PublishVideoAsync(rpc, session, participant, request);
            case "unpublishVideo":
                return UnpublishVideo(rpc, session, participant, request);
            case "receiveVideoFrom":
                return await ReceiveVideoFromAsync(rpc, session, participant, request);
            case "prepareReceiveVideoFrom":
                return await PrepareReceiveVideoFromAsync(rpc, session, participant, request);
            case "unsubscribeFromVideo":
                return UnsubscribeFromVideo(rpc, session, participant, request);
            case "onIceCandidate":
                return await OnIceCandidateAsync(rpc, participant, request);
            case "streamPropertyChanged":
                return StreamPropertyChanged(rpc, session, participant, request);
            case "reconnectStream":
                return await ReconnectStreamAsync(rpc, session, participant, request);
            case "videoData":
                return JsonRpcFrames.Result(request.Id, rpc.Id); // browser-reported statistics; nothing reads them yet
            case "subscribeToSpeechToText" or "unsubscribeFromSpeechToText":
                throw new RpcException(RpcErrorCodes.WrongOpenViduEdition, "Speech to text is not available in this server");
        }

        if (FilterMethods.Contains(request.Method))
        {
            throw new RpcException(RpcErrorCodes.FilterNotApplied, "Media filters are not supported by this server");
        }

        throw new RpcException(RpcErrorCodes.MethodNotFound, $"Method '{request.Method}' not found");
    }

    private byte[] Ping(RpcSession rpc, JsonRpcRequest request)
    {
        if (RpcParams.OptionalInt32(request, "interval") is { } interval)
        {
            rpc.PingIntervalMs = Math.Clamp(interval, 1_000, 60_000);
        }

        rpc.LastPingAt = Sessions.Now;
        return JsonRpcFrames.Value(request.Id, "pong", rpcSessionId: null); // the reference echoes no session id here
    }

    /// <summary><c>connect{sessionId, reconnect}</c>: the client resumes its RPC session on this new socket.</summary>
    private async ValueTask<byte[]?> ConnectAsync(RpcConnection connection, JsonRpcRequest request)
    {
        string? id = RpcParams.OptionalString(request, "sessionId");
        if (id is null)
        {
            return JsonRpcFrames.Value(request.Id, "OK", connection.Session.Id);
        }

        if (id == connection.Session.Id)
        {
            return JsonRpcFrames.Value(request.Id, "reconnection successful", id);
        }

        if (signaling.RpcSessions.Find(id) is not { } resumed || (resumed.Participant is null && resumed.CloseAt is null))
        {
            throw new RpcException(RpcErrorCodes.ReconnectionError, "reconnection error");
        }

        RpcSession abandoned = connection.Session;
        if (abandoned.Participant is not null)
        {
            throw new RpcException(RpcErrorCodes.ExistingUserInRoom, "This socket already carries a participant");
        }

        signaling.RpcSessions.Remove(abandoned);
        await resumed.AttachAsync(connection.Sink, Sessions.Now);
        connection.Session = resumed;
        LogResumed(resumed.Participant?.ConnectionId);
        return JsonRpcFrames.Value(request.Id, "reconnection successful", resumed.Id);
    }

    /// <summary>Joins; the answer is sent by the session itself (null here), after the others are told, so no
    /// notification about the session can reach the joiner before it.</summary>
    private byte[]? JoinRoom(RpcConnection connection, JsonRpcRequest request)
    {
        RpcSession rpc = connection.Session;
        if (rpc.Participant is not null)
        {
            throw new RpcException(RpcErrorCodes.ExistingUserInRoom, $"This socket has already joined as {rpc.Participant.ConnectionId}");
        }

        string token = RpcParams.RequiredString(request, "token");
        string sessionId = RpcParams.RequiredString(request, "session");
        string? platform = RpcParams.OptionalString(request, "platform");
        string metadata = RpcParams.OptionalString(request, "metadata") ?? "";
        if (Sessions.Find(sessionId) is not { } session)
        {
            throw new RpcException(RpcErrorCodes.RoomNotFound, $"Session {sessionId} not found");
        }

        var details = new ParticipantDetails(Sessions.Now, connection.RemoteIp, platform, metadata);
        SessionConnection joined = session.Join(token, rpc, details, (self, others) =>
            JsonRpcFrames.Result(request.Id, rpc.Id, json => WriteJoinResult(json, connection, session, self, others)));
        LogJoined(session.SessionId, joined.ConnectionId, connection.RemoteIp);
        signaling.OnParticipantJoined(session, joined);
        return null;
    }

    /// <summary>The joinRoom result of openvidu-protocol.md §1.6.1: <c>role</c> only for the joiner (it is how the
    /// browser tells its own connection), no <c>life</c>, <c>version</c> a 2.32 semver.</summary>
    private void WriteJoinResult(Utf8JsonWriter json, RpcConnection connection, SignalingSession session,
        SessionConnection self, IReadOnlyList<SessionConnection> others)
    {
        json.WriteString("id", self.ConnectionId);
        json.WriteString("finalUserId", Ids.NewFinalUserId());
        json.WriteNumber("createdAt", self.ActiveAt ?? self.CreatedAt);
        json.WriteString("metadata", self.FullMetadata);
        json.WriteStartArray("value");
        foreach (SessionConnection other in others)
        {
            json.WriteStartObject();
            json.WriteString("id", other.ConnectionId);
            json.WriteNumber("createdAt", other.ActiveAt ?? other.CreatedAt);
            json.WriteString("metadata", other.FullMetadata);
            if (other.Stream is { } stream)
            {
                json.WriteStartArray("streams");
                stream.WriteTo(json);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("session", session.SessionId);
        json.WriteString("version", Version);
        string mediaServer = signaling.Options.MediaServer;
        json.WriteString("mediaServer", mediaServer);
        json.WriteBoolean("videoSimulcast", mediaServer == "mediasoup");
        json.WriteBoolean("record", self.Record);
        json.WriteString("role", OpenViduRoles.Name(self.Role));
        json.WriteStartArray("customIceServers");
        foreach (IceServer server in IceServersFor(self, connection.PublicHost))
        {
            json.WriteStartObject();
            json.WriteString("url", server.Url);
            if (server.Username is not null)
            {
                json.WriteString("username", server.Username);
            }

            if (server.Credential is not null)
            {
                json.WriteString("credential", server.Credential);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>The connection's own <c>customIceServers</c> when the app gave some, else the server's.</summary>
    private IEnumerable<IceServer> IceServersFor(SessionConnection connection, string publicHost)
    {
        List<IceServer> custom = [];
        foreach (JsonNode? node in connection.Properties.CustomIceServers)
        {
            if (node is JsonObject o && o["url"] is JsonValue url && url.TryGetValue(out string? u))
            {
                custom.Add(new IceServer(u, (o["username"] as JsonValue)?.ToString(), (o["credential"] as JsonValue)?.ToString()));
            }
        }

        return custom.Count > 0 ? custom : iceServers.GetIceServers(connection, publicHost);
    }

    /// <summary><c>sendMessage{message}</c>: <c>message</c> is a JSON string <c>{to, data, type}</c> (§3).</summary>
    private byte[] SendMessage(RpcSession rpc, SignalingSession session, SessionConnection sender, JsonRpcRequest request)
    {
        string message = RpcParams.RequiredString(request, "message");
        if (message.Length > signaling.Options.MaxSignalBytes)
        {
            throw new RpcException(RpcErrorCodes.SignalFormatInvalid, $"Signal message exceeds {signaling.Options.MaxSignalBytes} bytes");
        }

        (string? data, string? type, IReadOnlyList<string?> to) = ParseSignal(message);
        if (session.Signal(sender.ConnectionId, to, type, data) is not { } recipients)
        {
            throw new RpcException(RpcErrorCodes.SignalToInvalid,
                $"Signal \"to\" field invalid format: not every connection of [{string.Join(", ", to)}] is in session {session.SessionId}");
        }

        signaling.OnSignalSent(session, sender.ConnectionId, recipients, type, data);
        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    private static (string? Data, string? Type, IReadOnlyList<string?> To) ParseSignal(string message)
    {
        JsonObject signal;
        try
        {
            signal = JsonNode.Parse(message) as JsonObject
                ?? throw new RpcException(RpcErrorCodes.SignalFormatInvalid, "Signal message must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new RpcException(RpcErrorCodes.SignalFormatInvalid, "Signal message is not valid JSON: " + e.Message);
        }

        List<string?> to = [];
        switch (signal["to"])
        {
            case null:
                break;
            case JsonArray array:
                foreach (JsonNode? node in array)
                {
                    to.Add(node is JsonValue v && v.TryGetValue(out string? id) ? id : null);
                }

                break;
            default:
                throw new RpcException(RpcErrorCodes.SignalFormatInvalid, "Signal \"to\" must be an array of connection ids");
        }

        return (TextOf(signal["data"]), TextOf(signal["type"]), to);
    }

    /// <summary>A string as is; another JSON value as its JSON text (the reference's Gson <c>getAsString</c>).</summary>
    private static string? TextOf(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };

    private byte[] ForceDisconnect(RpcSession rpc, SignalingSession session, SessionConnection moderator, JsonRpcRequest request)
    {
        RequireModerator(moderator, "force disconnect");
        string target = RpcParams.RequiredString(request, "connectionId");
        if (session.FindConnection(target) is not { IsActive: true }
            || !signaling.RemoveConnection(session, target, EndReason.ForceDisconnectByUser, evicted: true))
        {
            throw new RpcException(RpcErrorCodes.UserNotFound, $"Connection {target} is not in session {session.SessionId}");
        }

        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    private static void RequireModerator(SessionConnection participant, string what)
    {
        if (participant.Role != OpenViduRole.Moderator)
        {
            throw new RpcException(RpcErrorCodes.UserUnauthorized,
                $"Connection {participant.ConnectionId} has role {OpenViduRoles.Name(participant.Role)}: only a MODERATOR may {what}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {ConnectionId} joined from {Ip}")]
    private partial void LogJoined(string sessionId, string connectionId, string? ip);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: stream {StreamId} published")]
    private partial void LogPublished(string sessionId, string streamId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{ConnectionId} resumed its RPC session on a new socket")]
    private partial void LogResumed(string? connectionId);
}
