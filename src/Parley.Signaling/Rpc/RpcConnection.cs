namespace Parley.Signaling.Rpc;

/// <summary>One WebSocket and the RPC session it serves, which <c>connect</c> may swap for the session it resumes.</summary>
internal sealed class RpcConnection(IFrameSink sink, RpcSession session, string? remoteIp, string publicHost)
{
    public IFrameSink Sink { get; } = sink;

    public RpcSession Session { get; set; } = session;

    /// <summary>The client's address: <c>X-Real-IP</c> when a proxy sets it, else the socket's peer.</summary>
    public string? RemoteIp { get; } = remoteIp;

    /// <summary>The host name the client reached this server at, for the ICE servers it is handed.</summary>
    public string PublicHost { get; } = publicHost;
}
