using System.Text.Json.Nodes;

namespace Parley.Signaling.Rpc;

/// <summary>An error to answer a frame with: the request id when one was read, the code and a message for people.</summary>
public sealed record JsonRpcError(JsonNode? Id, int Code, string Message);
