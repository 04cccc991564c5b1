using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Signaling.Rest;

/// <summary>Reads a JSON object body: absent or empty is an empty object; anything else that is not an object is an
/// error. OpenVidu clients send explicit nulls for unset properties, so every getter treats null as absent.</summary>
internal static class RequestBody
{
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<(JsonObject? Body, string? Error)> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return (null, "Body too large");
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length > MaxBodyBytes)
        {
            return (null, "Body too large");
        }

        if (buffer.Length == 0 || (!request.HasJsonContentType() && !LooksLikeJson(buffer)))
        {
            return (new JsonObject(), null); // bodiless calls arrive as form-urlencoded from the node client
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray()) is JsonObject body ? (body, null) : (null, "The body must be a JSON object");
        }
        catch (JsonException e)
        {
            return (null, "Invalid JSON: " + e.Message);
        }
    }

    private static bool LooksLikeJson(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).TrimStart(" \t\r\n"u8) is [(byte)'{' or (byte)'[', ..];

    /// <summary>A string property: (value, ok). Absent or null gives (null, true); another type gives ok = false.</summary>
    public static (string? Value, bool Ok) String(JsonObject body, string name) => body[name] switch
    {
        null => (null, true),
        JsonValue v when v.TryGetValue(out string? s) => (s, true),
        _ => (null, false),
    };

    public static (bool? Value, bool Ok) Boolean(JsonObject body, string name) => body[name] switch
    {
        null => (null, true),
        JsonValue v when v.TryGetValue(out bool b) => (b, true),
        _ => (null, false),
    };
}
