using Parley.Stun;

namespace Parley.StunServer;

/// <summary>Where a request came from and which of the server's sockets received it.</summary>
/// <param name="Source">The client's transport address as the server sees it (its reflexive address).</param>
/// <param name="Transport">UDP or TCP.</param>
/// <param name="Local">The server address the request arrived at.</param>
/// <param name="Grid">The RFC 5780 layout when the server has an alternate address; null otherwise.</param>
/// <param name="SocketIndex">The receiving socket's index in the grid (0 when there is no grid).</param>
public readonly record struct StunRequestContext(
    TransportAddress Source,
    StunTransport Transport,
    TransportAddress Local,
    NatDiscoveryGrid? Grid = null,
    int SocketIndex = 0);
