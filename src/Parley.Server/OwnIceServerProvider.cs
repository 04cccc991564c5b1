using Parley.Signaling;
using Parley.Stun;

namespace Parley.Server;

/// <summary>
/// Hands joining participants this server's own STUN (<c>stun:host:port</c>, the port it is bound to), so browsers
/// do not fall back to openvidu-browser's public third-party STUN list, and, when TURN runs, its TURN over UDP, TCP
/// and (with a certificate) TLS with coturn REST API credentials minted for the connection, as OpenVidu hands out
/// its coturn's.
/// </summary>
internal sealed class OwnIceServerProvider(StunHostedService stun, TimeProvider time) : IIceServerProvider
{
    public IReadOnlyList<IceServer> GetIceServers(SessionConnection connection, string publicHost)
    {
        if (stun.Server?.UdpEndPoints.FirstOrDefault() is not { } endPoint)
        {
            return [];
        }

        string host = publicHost.Contains(':') && !publicHost.StartsWith('[') ? $"[{publicHost}]" : publicHost;
        var servers = new List<IceServer> { new($"stun:{host}:{endPoint.Port}") };
        if (stun.Turn is not null && stun.TurnSecret is { } secret)
        {
            (string username, string password) = RestApiCredentials.Create(secret, connection.ConnectionId,
                time.GetUtcNow() + stun.TurnOptions.CredentialLifetime);
            servers.Add(new IceServer($"turn:{host}:{endPoint.Port}", username, password));
            servers.Add(new IceServer($"turn:{host}:{endPoint.Port}?transport=tcp", username, password));
            if (stun.Server.TlsEndPoints.FirstOrDefault() is { } tls)
            {
                servers.Add(new IceServer($"turns:{host}:{tls.Port}?transport=tcp", username, password));
            }
        }

        return servers;
    }
}
