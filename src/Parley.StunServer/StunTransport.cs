namespace Parley.StunServer;

/// <summary>The transport a request arrived on.</summary>
public enum StunTransport : byte
{
    Udp,
    Tcp,
    Tls,
}
