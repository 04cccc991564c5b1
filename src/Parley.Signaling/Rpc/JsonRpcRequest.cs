using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Signaling.Rpc;

/// <summary>
/// One JSON-RPC 2.0 request or notification read from a WebSocket text frame, as openvidu-browser's vendored
/// kurento-jsonrpc sends them: <c>{"jsonrpc":"2.0","method":M,"params":{…},"id":N}</c>, ids counting from 0,
/// <c>params</c> absent when empty.
/// </summary>
public sealed class JsonRpcRequest
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    private JsonRpcRequest(JsonNode? id, bool hasId, string method, JsonObject parameters)
    {
        Id = id;
        HasId = hasId;
        Method = method;
        Params = parameters;
    }

    /// <summary>The request id as sent (a number or a string); echoed in the answer.</summary>
    public JsonNode? Id { get; }

    /// <summary>False for a notification, which gets no answer.</summary>
    public bool HasId { get; }

    public string Method { get; }

    /// <summary>The params object; empty when absent or null.</summary>
    public JsonObject Params { get; }

    /// <summary>
    /// Reads a frame. False with an error when it is not a valid request (the caller answers the error, with the id
    /// when one could be read); false with no error for a frame to ignore (a response: the server sends no requests).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out JsonRpcRequest? request, out JsonRpcError? error)
    {
        request = null;
        error = null;
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            error = new JsonRpcError(null, RpcErrorCodes.ParseError, "Parse error: the message is not valid UTF-8");
            return false;
        }

        JsonObject message;
        try
        {
            if (JsonNode.Parse(utf8, documentOptions: DocumentOptions) is not JsonObject parsed)
            {
                error = new JsonRpcError(null, RpcErrorCodes.InvalidRequest, "A JSON-RPC message must be a JSON object");
                return false;
            }

            message = parsed;
        }
        catch (JsonException e)
        {
            error = new JsonRpcError(null, RpcErrorCodes.ParseError, "Parse error: " + e.Message);
            return false;
        }

        bool hasId = message.TryGetPropertyValue("id", out JsonNode? id);
        if (hasId && !IsValidId(id))
        {
            error = new JsonRpcError(null, RpcErrorCodes.InvalidRequest, "\"id\" must be a number, a string or null");
            return false;
        }

        if (!message.ContainsKey("method") && (message.ContainsKey("result") || message.ContainsKey("error")))
        {
            return false; // a response; nothing here awaits one
        }

        if (message["jsonrpc"] is not JsonValue version || !version.TryGetValue(out string? v) || v != "2.0")
        {
            error = new JsonRpcError(id, RpcErrorCodes.InvalidRequest, "\"jsonrpc\" must be \"2.0\"");
            return false;
        }

        if (message["method"] is not JsonValue methodNode || !methodNode.TryGetValue(out string? method) || method.Length == 0)
        {
            error = new JsonRpcError(id, RpcErrorCodes.InvalidRequest, "\"method\" must be a non-empty string");
            return false;
        }

        JsonObject parameters;
        switch (message["params"])
        {
            case null:
                parameters = [];
                break;
            case JsonObject given:
                parameters = given;
                break;
            default:
                error = new JsonRpcError(id, RpcErrorCodes.InvalidParams, "\"params\" must be an object");
                return false;
        }

        request = new JsonRpcRequest(id?.DeepClone(), hasId, method, parameters);
        return true;
    }

    private static bool IsValidId(JsonNode? id) => id switch
    {
        null => true,
        JsonValue value => value.GetValueKind() is JsonValueKind.Number or JsonValueKind.String,
        _ => false,
    };
}
