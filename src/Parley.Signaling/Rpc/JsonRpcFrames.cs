using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Signaling.Rpc;

/// <summary>
/// Writes the frames the server sends, in kurento-jsonrpc's shapes (openvidu-protocol.md §1.2): every result and
/// error carries the RPC session id (<c>result.sessionId</c>, <c>error.data.sessionId</c>), which openvidu-browser
/// keeps from joinRoom to resume with <c>connect</c>; notifications carry none, so one frame serves every recipient.
/// </summary>
public static class JsonRpcFrames
{
    /// <summary>Frames go over a WebSocket to a JSON parser, never into HTML: only what JSON requires is escaped.</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A result object: the fields <paramref name="writeFields"/> writes, then <c>sessionId</c> when given.</summary>
    public static byte[] Result(JsonNode? id, string? rpcSessionId, Action<Utf8JsonWriter>? writeFields = null) =>
        Write(json =>
        {
            WriteId(json, id);
            json.WriteStartObject("result");
            writeFields?.Invoke(json);
            if (rpcSessionId is not null)
            {
                json.WriteString("sessionId", rpcSessionId);
            }

            json.WriteEndObject();
        });

    /// <summary>A non-object result, wrapped as kurento-jsonrpc does: <c>{"value":…,"sessionId":…}</c>.</summary>
    public static byte[] Value(JsonNode? id, string value, string? rpcSessionId) =>
        Result(id, rpcSessionId, json => json.WriteString("value", value));

    public static byte[] Error(JsonNode? id, int code, string message, string? rpcSessionId) =>
        Write(json =>
        {
            WriteId(json, id);
            json.WriteStartObject("error");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            if (rpcSessionId is not null)
            {
                json.WriteStartObject("data");
                json.WriteString("sessionId", rpcSessionId);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        });

    public static byte[] Notification(string method, Action<Utf8JsonWriter> writeParams) =>
        Write(json =>
        {
            json.WriteString("method", method);
            json.WriteStartObject("params");
            writeParams(json);
            json.WriteEndObject();
        });

    private static void WriteId(Utf8JsonWriter json, JsonNode? id)
    {
        json.WritePropertyName("id");
        if (id is null)
        {
            json.WriteNullValue();
        }
        else
        {
            id.WriteTo(json);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            writeMembers(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
