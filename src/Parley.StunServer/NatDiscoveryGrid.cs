using Parley.Stun;

namespace Parley.StunServer;

/// <summary>
/// The four transport addresses of an RFC 5780 server: a primary and an alternate IP address, each listening on a
/// primary and an alternate port. A socket is named by its (address, port) indexes, 0 for primary and 1 for
/// alternate; CHANGE-REQUEST flips one or both.
/// </summary>
public readonly record struct NatDiscoveryGrid(TransportAddress Primary, TransportAddress Alternate)
{
    public TransportAddress Get(int addressIndex, int portIndex)
    {
        TransportAddress ip = addressIndex == 0 ? Primary : Alternate;
        return ip.WithPort(portIndex == 0 ? Primary.Port : Alternate.Port);
    }

    /// <summary>The socket index in 0..3 used by the listener: address index × 2 + port index.</summary>
    public static int SocketIndex(int addressIndex, int portIndex) => (addressIndex * 2) + portIndex;
}
