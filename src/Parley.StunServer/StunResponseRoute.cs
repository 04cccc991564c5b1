using Parley.Stun;

namespace Parley.StunServer;

/// <summary>Where to send a response: to which address, and from which of the server's grid sockets.</summary>
public readonly record struct StunResponseRoute(TransportAddress Destination, int SocketIndex);
