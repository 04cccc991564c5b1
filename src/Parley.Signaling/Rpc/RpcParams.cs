using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Signaling.Rpc;

/// <summary>
/// Reads request params as leniently as the reference server (Gson's <c>getAsString</c>/<c>getAsBoolean</c>: a
/// number or boolean reads as a string, <c>"true"</c> as a boolean), failing with a JSON-RPC "invalid params" error
/// that names the missing or malformed element.
/// </summary>
internal static class RpcParams
{
    public static string RequiredString(JsonRpcRequest request, string name) =>
        OptionalString(request, name) ?? throw Missing(request, name);

    public static string? OptionalString(JsonRpcRequest request, string name) => request.Params[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => throw Invalid(request, name, "a string"),
    };

    public static bool RequiredBoolean(JsonRpcRequest request, string name) =>
        OptionalBoolean(request, name) ?? throw Missing(request, name);

    public static bool? OptionalBoolean(JsonRpcRequest request, string name) => request.Params[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out bool b) => b,
        _ => throw Invalid(request, name, "a boolean"),
    };

    public static int? OptionalInt32(JsonRpcRequest request, string name) => request.Params[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out int i) => i,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) && d is >= int.MinValue and <= int.MaxValue => (int)d,
        JsonValue v when v.TryGetValue(out string? s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) => i,
        _ => throw Invalid(request, name, "an integer"),
    };

    private static RpcException Missing(JsonRpcRequest request, string name) =>
        new(RpcErrorCodes.InvalidParams, $"Request element '{name}' is missing in RPC method '{request.Method}'");

    private static RpcException Invalid(JsonRpcRequest request, string name, string expected) =>
        new(RpcErrorCodes.InvalidParams, $"Request element '{name}' of RPC method '{request.Method}' must be {expected}");
}
