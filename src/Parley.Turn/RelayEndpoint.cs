using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn;

/// <summary>One relayed transport address of an allocation: the socket bound to it and the address announced in
/// XOR-RELAYED-ADDRESS (the external address behind 1:1 NAT).</summary>
internal sealed class RelayEndpoint(Socket socket, TransportAddress announced)
{
    public Socket Socket => socket;

    public AddressFamily Family => socket.AddressFamily;

    public TransportAddress Announced => announced;
}
