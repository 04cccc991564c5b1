namespace Parley.Signaling.Rpc;

/// <summary>A request that cannot be served: answered as a JSON-RPC error object to the caller alone.</summary>
public sealed class RpcException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}
