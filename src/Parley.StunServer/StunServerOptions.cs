namespace Parley.StunServer;

/// <summary>Settings of the STUN server (configuration section <c>Stun</c>).</summary>
public sealed class StunServerOptions
{
    public const string SectionName = "Stun";

    /// <summary>Whether the STUN listeners start at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Addresses to listen on; <c>0.0.0.0</c> and <c>::</c> mean every interface of that family.</summary>
    public IList<string> ListeningIps { get; } = [];

    /// <summary>UDP and TCP port, 3478 as RFC 8489 assigns (0 picks a free port, for tests).</summary>
    public int ListeningPort { get; set; } = 3478;

    /// <summary>A second IP address of the same family as the first listening IP: setting it turns on RFC 5780
    /// NAT behaviour discovery, with four UDP sockets (both addresses × both ports).</summary>
    public string? AlternateIp { get; set; }

    /// <summary>The second port for RFC 5780 (0 picks a free one).</summary>
    public int AlternatePort { get; set; } = 3479;

    /// <summary>The TLS port (RFC 8489: 5349), used when a certificate is configured (0 picks a free port).</summary>
    public int TlsListeningPort { get; set; } = 5349;

    /// <summary>Also serve STUN over TCP on the listening port (RFC 8489 §6.2.2).</summary>
    public bool TcpEnabled { get; set; } = true;

    /// <summary>Connections over this number are refused at once.</summary>
    public int MaxTcpConnections { get; set; } = 1024;

    /// <summary>A TCP connection that sends no complete message for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Receive threads per primary UDP socket; 0 means one per processor.</summary>
    public int UdpThreadsPerSocket { get; set; }

    /// <summary>The SOFTWARE attribute of every response.</summary>
    public string Software { get; set; } = "Parley";
}
