using Parley.Signaling;

namespace Parley.Server;

/// <summary>Hands joining participants this server's own STUN (<c>stun:host:port</c>, the port it is bound to), so
/// browsers do not fall back to openvidu-browser's public third-party STUN list. TURN is added by the TURN issue.</summary>
internal sealed class StunIceServerProvider(StunHostedService stun) : IIceServerProvider
{
    public IReadOnlyList<IceServer> GetIceServers(SessionConnection connection, string publicHost)
    {
        if (stun.Server?.UdpEndPoints.FirstOrDefault() is not { } endPoint)
        {
            return [];
        }

        string host = publicHost.Contains(':') && !publicHost.StartsWith('[') ? $"[{publicHost}]" : publicHost;
        return [new IceServer($"stun:{host}:{endPoint.Port}")];
    }
}
