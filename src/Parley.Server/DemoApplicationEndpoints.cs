using System.Text.Json.Nodes;
using Parley.Signaling;

namespace Parley.Server;

/// <summary>
/// The application server of OpenVidu's basic tutorials, built in, so the bundled web client (and those tutorials'
/// front ends) get tokens without the browser ever holding the secret: <c>POST /api/sessions</c> with an optional
/// <c>customSessionId</c> answers the session id (an existing session keeps its id), and
/// <c>POST /api/sessions/{sessionId}/connections</c> answers a PUBLISHER token, as text. On by default; a production
/// deployment whose own server mints tokens turns it off with <c>Parley:DemoApplication=false</c>.
/// </summary>
internal static class DemoApplicationEndpoints
{
    public static IEndpointRouteBuilder MapDemoApplication(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/sessions", async (HttpContext http, SignalingService signaling) =>
        {
            JsonObject? body = await ReadAsync(http);
            string custom = body?["customSessionId"] is JsonValue v && v.TryGetValue(out string? id) ? id.Trim() : "";
            if (custom.Length > 0 && (custom.Length > 200 || !custom.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            {
                return Results.Json(new { status = 400, message = "customSessionId may hold letters, digits, '_' and '-' only" }, statusCode: 400);
            }

            if (signaling.Sessions.TryCreate(new SessionProperties { CustomSessionId = custom }, out SignalingSession session))
            {
                signaling.OnSessionCreated(session);
            }

            return Results.Text(session.SessionId);
        });

        endpoints.MapPost("/api/sessions/{sessionId}/connections", async (HttpContext http, string sessionId, SessionRegistry sessions,
            Microsoft.Extensions.Options.IOptions<SignalingOptions> options) =>
        {
            JsonObject? body = await ReadAsync(http);
            if (sessions.Find(sessionId) is not { } session)
            {
                return Results.Json(new { status = 404, message = $"Session {sessionId} not found" }, statusCode: 404);
            }

            string data = body?["data"] is JsonValue v && v.TryGetValue(out string? text) ? text : "";
            SessionConnection? connection = session.CreateConnection(new ConnectionProperties { Data = data },
                TokenUrls.BaseFor(http.Request, options.Value), sessions.Now);
            return connection is null
                ? Results.Json(new { status = 404, message = $"Session {sessionId} is closed" }, statusCode: 404)
                : Results.Text(connection.Token);
        });

        return endpoints;
    }

    private static async Task<JsonObject?> ReadAsync(HttpContext http)
    {
        if (http.Request.ContentLength is 0 or > 16 * 1024)
        {
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
