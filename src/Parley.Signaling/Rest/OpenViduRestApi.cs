using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Parley.Signaling.Media;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Rest;

/// <summary>
/// The OpenVidu 2.x REST API under <c>/openvidu/api</c> (openvidu-protocol.md §4): sessions, connections, the
/// deprecated tokens call, configuration; recordings answer 501 until recording exists. Status codes are the
/// contract, since openvidu-node-client rejects with <c>Error("&lt;status&gt;")</c> and reads no error body.
/// </summary>
public static class OpenViduRestApi
{
    private static readonly string[] MediaModes = ["ROUTED", "RELAYED"];
    private static readonly string[] RecordingModes = ["MANUAL", "ALWAYS"];
    private static readonly string[] VideoCodecs = ["MEDIA_SERVER_PREFERRED", "NONE", "VP8", "VP9", "H264"];

    public static IServiceCollection AddOpenViduSignaling(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIceServerProvider, NoIceServers>();
        services.TryAddSingleton<IMediaServer, NoMediaServer>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<RpcSessionRegistry>();
        services.AddSingleton<SignalingService>();
        services.AddSingleton<OpenViduRpcHandler>();
        services.AddHostedService<SignalingMaintenance>();
        services.AddHttpClient(nameof(WebhookSender));
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookSender>());
        return services;
    }

    public static IEndpointRouteBuilder MapOpenViduRestApi(this IEndpointRouteBuilder endpoints)
    {
        // OpenVidu Pro's health check, public as there: load balancers probe it without the secret.
        endpoints.MapGet("/openvidu/api/health", () => Results.Json(new { status = "UP" }));
        RouteGroupBuilder api = endpoints.MapGroup("/openvidu/api");
        api.AddEndpointFilter<BasicAuthFilter>();

        api.MapPost("/sessions", CreateSessionAsync);
        api.MapGet("/sessions", ListSessions);
        api.MapGet("/sessions/{sessionId}", GetSession);
        api.MapDelete("/sessions/{sessionId}", CloseSession);
        api.MapPost("/sessions/{sessionId}/connection", CreateConnectionAsync);
        api.MapGet("/sessions/{sessionId}/connection", ListConnections);
        api.MapGet("/sessions/{sessionId}/connection/{connectionId}", GetConnection);
        api.MapDelete("/sessions/{sessionId}/connection/{connectionId}", DeleteConnection);
        api.MapPatch("/sessions/{sessionId}/connection/{connectionId}", UpdateConnectionAsync);
        api.MapDelete("/sessions/{sessionId}/stream/{streamId}", ForceUnpublish);
        api.MapPost("/tokens", CreateTokenAsync);
        api.MapPost("/signal", SignalAsync);
        api.MapGet("/config", GetConfig);
        api.Map("/recordings/{**rest}", (HttpContext http) =>
            RestError.Of(http, StatusCodes.Status501NotImplemented, "Recording is not enabled in this server"));
        api.Map("/recordings", (HttpContext http) =>
            RestError.Of(http, StatusCodes.Status501NotImplemented, "Recording is not enabled in this server"));
        return endpoints;
    }

    private static async Task<IResult> CreateSessionAsync(HttpContext http, SignalingService signaling)
    {
        SessionRegistry sessions = signaling.Sessions;
        (JsonObject? body, string? error) = await RequestBody.ReadAsync(http.Request);
        if (body is null)
        {
            return RestError.Of(http, 400, error!);
        }

        (string? mediaMode, bool okMedia) = RequestBody.String(body, "mediaMode");
        (string? recordingMode, bool okRecording) = RequestBody.String(body, "recordingMode");
        (string? customId, bool okCustom) = RequestBody.String(body, "customSessionId");
        (string? codec, bool okCodec) = RequestBody.String(body, "forcedVideoCodec");
        (bool? transcoding, bool okTranscoding) = RequestBody.Boolean(body, "allowTranscoding");
        if (!(okMedia && okRecording && okCustom && okCodec && okTranscoding)
            || (mediaMode is not null && !MediaModes.Contains(mediaMode))
            || (recordingMode is not null && !RecordingModes.Contains(recordingMode))
            || (codec is not null && !VideoCodecs.Contains(codec))
            || (customId is { Length: > 0 } && !Ids.IsValidCustomSessionId(customId)))
        {
            return RestError.Of(http, 400, "Invalid session properties");
        }

        JsonObject recording = SessionProperties.DefaultRecording();
        if (body["defaultRecordingProperties"] is JsonObject given)
        {
            foreach ((string key, JsonNode? value) in given)
            {
                recording[key] = value?.DeepClone();
            }
        }
        else if (body["defaultRecordingProperties"] is not null)
        {
            return RestError.Of(http, 400, "defaultRecordingProperties must be an object");
        }

        var properties = new SessionProperties
        {
            MediaMode = mediaMode ?? "ROUTED",
            RecordingMode = recordingMode ?? "MANUAL",
            CustomSessionId = customId ?? "",
            ForcedVideoCodec = codec ?? "MEDIA_SERVER_PREFERRED",
            AllowTranscoding = transcoding ?? false,
            DefaultRecordingProperties = recording,
            MediaNodeId = (body["mediaNode"] as JsonObject)?["id"]?.GetValue<string>(),
        };
        if (!sessions.TryCreate(properties, out SignalingSession session))
        {
            return RestError.Of(http, 409, $"Session {session.SessionId} already exists");
        }

        signaling.OnSessionCreated(session);
        return Json(json => OpenViduJson.WriteSession(json, session, includePending: true));
    }

    private static IResult ListSessions(HttpContext http, SessionRegistry sessions, IMediaServer media, bool? pendingConnections, bool? webRtcStats) =>
        Json(json =>
        {
            IReadOnlyList<SignalingSession> all = sessions.All;
            json.WriteStartObject();
            json.WriteNumber("numberOfElements", all.Count);
            json.WriteStartArray("content");
            foreach (SignalingSession session in all)
            {
                OpenViduJson.WriteSession(json, session, pendingConnections ?? false, webRtcStats == true ? media : null);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });

    private static IResult GetSession(HttpContext http, SessionRegistry sessions, IMediaServer media, string sessionId,
        bool? pendingConnections, bool? webRtcStats) =>
        sessions.Find(sessionId) is { } session
            ? Json(json => OpenViduJson.WriteSession(json, session, pendingConnections ?? false, webRtcStats == true ? media : null))
            : RestError.Of(http, 404, $"Session {sessionId} not found");

    /// <summary>Closes a session: its participants are evicted with <c>sessionClosedByServer</c>.</summary>
    private static IResult CloseSession(HttpContext http, SignalingService signaling, string sessionId) =>
        signaling.Sessions.Find(sessionId) is { } session && signaling.CloseSession(session, EndReason.SessionClosedByServer)
            ? Results.NoContent()
            : RestError.Of(http, 404, $"Session {sessionId} not found");

    private static async Task<IResult> CreateConnectionAsync(HttpContext http, SessionRegistry sessions,
        IOptions<SignalingOptions> options, string sessionId)
    {
        (JsonObject? body, string? error) = await RequestBody.ReadAsync(http.Request);
        if (body is null)
        {
            return RestError.Of(http, 400, error!);
        }

        if (sessions.Find(sessionId) is not { } session)
        {
            return RestError.Of(http, 404, $"Session {sessionId} not found");
        }

        (ConnectionProperties? properties, string? invalid) = ParseConnectionProperties(body);
        if (properties is null)
        {
            return RestError.Of(http, 400, invalid!);
        }

        SessionConnection? connection = session.CreateConnection(properties, TokenUrls.BaseFor(http.Request, options.Value), sessions.Now);
        return connection is null
            ? RestError.Of(http, 404, $"Session {sessionId} is closed")
            : Json(json => OpenViduJson.WriteConnection(json, session, connection));
    }

    private static IResult ListConnections(HttpContext http, SessionRegistry sessions, IMediaServer media, string sessionId,
        bool? pendingConnections, bool? webRtcStats) =>
        sessions.Find(sessionId) is { } session
            ? Json(json => OpenViduJson.WriteConnections(json, session, session.GetConnections(pendingConnections ?? true),
                webRtcStats == true ? media : null))
            : RestError.Of(http, 404, $"Session {sessionId} not found");

    private static IResult GetConnection(HttpContext http, SessionRegistry sessions, IMediaServer media, string sessionId,
        string connectionId, bool? webRtcStats)
    {
        if (sessions.Find(sessionId) is not { } session)
        {
            return RestError.Of(http, 400, $"Session {sessionId} not found"); // 400, not 404: OpenVidu's contract
        }

        return session.FindConnection(connectionId) is { } connection
            ? Json(json => OpenViduJson.WriteConnection(json, session, connection, webRtcStats == true ? media : null))
            : RestError.Of(http, 404, $"Connection {connectionId} not found");
    }

    /// <summary>Revokes a pending connection's token, or evicts an active participant (<c>forceDisconnectByServer</c>).</summary>
    private static IResult DeleteConnection(HttpContext http, SignalingService signaling, string sessionId, string connectionId)
    {
        if (signaling.Sessions.Find(sessionId) is not { } session)
        {
            return RestError.Of(http, 400, $"Session {sessionId} not found");
        }

        return signaling.RemoveConnection(session, connectionId, EndReason.ForceDisconnectByServer, evicted: true)
            ? Results.NoContent()
            : RestError.Of(http, 404, $"Connection {connectionId} not found");
    }

    private static async Task<IResult> UpdateConnectionAsync(HttpContext http, SessionRegistry sessions,
        string sessionId, string connectionId)
    {
        (JsonObject? body, string? error) = await RequestBody.ReadAsync(http.Request);
        if (body is null)
        {
            return RestError.Of(http, 400, error!);
        }

        if (sessions.Find(sessionId) is not { } session)
        {
            return RestError.Of(http, 400, $"Session {sessionId} not found");
        }

        (string? roleName, bool okRole) = RequestBody.String(body, "role");
        (bool? record, bool okRecord) = RequestBody.Boolean(body, "record");
        OpenViduRole? role = OpenViduRoles.Parse(roleName);
        if (!okRole || !okRecord || (roleName is not null && role is null))
        {
            return RestError.Of(http, 400, "Invalid connection properties");
        }

        return session.UpdateConnection(connectionId, role, record) && session.FindConnection(connectionId) is { } connection
            ? Json(json => OpenViduJson.WriteConnection(json, session, connection))
            : RestError.Of(http, 404, $"Connection {connectionId} not found");
    }

    /// <summary>Forces a stream's unpublishing: everyone, its owner included, gets participantUnpublished
    /// (<c>forceUnpublishByServer</c>).</summary>
    private static IResult ForceUnpublish(HttpContext http, SignalingService signaling, string sessionId, string streamId)
    {
        if (signaling.Sessions.Find(sessionId) is not { } session)
        {
            return RestError.Of(http, 400, $"Session {sessionId} not found");
        }

        return session.FindStream(streamId) is { } found && signaling.Unpublish(session, found.Publisher, EndReason.ForceUnpublishByServer, forced: true)
            ? Results.NoContent()
            : RestError.Of(http, 404, $"Stream {streamId} not found");
    }

    private static async Task<IResult> CreateTokenAsync(HttpContext http, SessionRegistry sessions, IOptions<SignalingOptions> options)
    {
        (JsonObject? body, string? error) = await RequestBody.ReadAsync(http.Request);
        if (body is null)
        {
            return RestError.Of(http, 400, error!);
        }

        (string? sessionId, bool okSession) = RequestBody.String(body, "session");
        if (!okSession || sessionId is null)
        {
            return RestError.Of(http, 400, "\"session\" parameter is mandatory");
        }

        if (sessions.Find(sessionId) is not { } session)
        {
            return RestError.Of(http, 404, $"Session {sessionId} not found");
        }

        body.Remove("record"); // ignored by the deprecated call
        (ConnectionProperties? properties, string? invalid) = ParseConnectionProperties(body);
        if (properties is null)
        {
            return RestError.Of(http, 400, invalid!);
        }

        SessionConnection? c = session.CreateConnection(properties, TokenUrls.BaseFor(http.Request, options.Value), sessions.Now);
        if (c is null)
        {
            return RestError.Of(http, 404, $"Session {sessionId} is closed");
        }

        return Json(json =>
        {
            json.WriteStartObject();
            json.WriteString("id", c.Token);
            json.WriteString("token", c.Token);
            json.WriteString("connectionId", c.ConnectionId);
            json.WriteNumber("createdAt", c.CreatedAt);
            json.WriteString("session", session.SessionId);
            json.WriteString("role", OpenViduRoles.Name(c.Role));
            json.WriteString("data", c.Properties.Data);
            if (c.Properties.KurentoOptions is { } kurento)
            {
                json.WritePropertyName("kurentoOptions");
                kurento.WriteTo(json);
            }

            json.WriteEndObject();
        });
    }

    /// <summary>A signal from the server (no <c>from</c>): to the listed connections, or to everyone when none are
    /// listed. 406 when the session has nobody in it or a listed connection is not active in it.</summary>
    private static async Task<IResult> SignalAsync(HttpContext http, SignalingService signaling, IOptions<SignalingOptions> options)
    {
        SessionRegistry sessions = signaling.Sessions;
        (JsonObject? body, string? error) = await RequestBody.ReadAsync(http.Request);
        if (body is null)
        {
            return RestError.Of(http, 400, error!);
        }

        (string? sessionId, bool okSession) = RequestBody.String(body, "session");
        (string? type, bool okType) = RequestBody.String(body, "type");
        (string? data, bool okData) = RequestBody.String(body, "data");
        if (!okSession || sessionId is null)
        {
            return RestError.Of(http, 400, "\"session\" parameter is mandatory and must be a string");
        }

        List<string?> to = [];
        switch (body["to"])
        {
            case null:
                break;
            case JsonArray array when array.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String):
                to.AddRange(array.Select(n => n!.GetValue<string>()));
                break;
            default:
                return RestError.Of(http, 400, "Type error in parameter \"to\": it must be an array of connection ids");
        }

        if (!okType || !okData)
        {
            return RestError.Of(http, 400, "Type error in parameters \"type\" and \"data\": they must be strings");
        }

        if (data is not null && data.Length > options.Value.MaxSignalBytes)
        {
            return RestError.Of(http, 400, $"\"data\" exceeds {options.Value.MaxSignalBytes} characters");
        }

        if (sessions.Find(sessionId) is not { } session)
        {
            return RestError.Of(http, 404, $"Session {sessionId} not found");
        }

        if (session.GetConnections(includePending: false).Count == 0)
        {
            return RestError.Of(http, 406, $"Session {sessionId} has no participants");
        }

        if (session.Signal(from: null, to, type, data) is not { } recipients)
        {
            return RestError.Of(http, 406, "\"to\" array has no valid connection identifiers");
        }

        signaling.OnSignalSent(session, from: null, recipients, type, data);
        return Results.Ok();
    }

    private static IResult GetConfig(HttpContext http, IOptions<SignalingOptions> options) => Results.Json(new Dictionary<string, object?>
    {
        ["VERSION"] = "2.32.2",
        ["DOMAIN_OR_PUBLIC_IP"] = http.Request.Host.Host,
        ["HTTPS_PORT"] = http.Request.Host.Port ?? (http.Request.IsHttps ? 443 : 80),
        ["OPENVIDU_PUBLICURL"] = options.Value.PublicUrl ?? $"{http.Request.Scheme}://{http.Request.Host}",
        ["OPENVIDU_CDR"] = false,
        ["OPENVIDU_STREAMS_FORCED_VIDEO_CODEC"] = "MEDIA_SERVER_PREFERRED",
        ["OPENVIDU_STREAMS_ALLOW_TRANSCODING"] = false,
        ["OPENVIDU_RECORDING"] = false,
        ["OPENVIDU_WEBHOOK"] = false,
    });

    private static (ConnectionProperties? Properties, string? Error) ParseConnectionProperties(JsonObject body)
    {
        (string? type, bool okType) = RequestBody.String(body, "type");
        (string? data, bool okData) = RequestBody.String(body, "data");
        (string? roleName, bool okRole) = RequestBody.String(body, "role");
        (bool? record, bool okRecord) = RequestBody.Boolean(body, "record");
        if (!okType || (type is not null && type != "WEBRTC"))
        {
            return (null, type == "IPCAM" ? "IPCAM connections are not supported yet" : $"Parameter 'type' {type} is not defined");
        }

        OpenViduRole? role = OpenViduRoles.Parse(roleName);
        if (!okData || !okRole || !okRecord || (roleName is not null && role is null))
        {
            return (null, "Invalid connection properties");
        }

        JsonNode? kurento = body["kurentoOptions"];
        JsonNode? ice = body["customIceServers"];
        if ((kurento is not null and not JsonObject) || (ice is not null and not JsonArray))
        {
            return (null, "kurentoOptions must be an object and customIceServers an array");
        }

        return (new ConnectionProperties
        {
            Role = role ?? OpenViduRole.Publisher,
            Data = data ?? "",
            Record = record ?? true,
            KurentoOptions = (JsonObject?)kurento?.DeepClone(),
            CustomIceServers = (JsonArray?)ice?.DeepClone() ?? [],
        }, null);
    }

    private static IResult Json(Action<Utf8JsonWriter> write) => new JsonWriterResult(write);
}
