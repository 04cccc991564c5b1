namespace Parley.WebRtc;

/// <summary>Settings of the media transport (configuration section <c>WebRtc</c>).</summary>
public sealed class WebRtcServerOptions
{
    public const string SectionName = "WebRtc";

    /// <summary>The address the one media UDP socket binds to (<c>0.0.0.0</c> for every interface).</summary>
    public string ListeningIp { get; set; } = "127.0.0.1";

    /// <summary>The one UDP port every peer's media uses (0 lets the kernel choose, for tests).</summary>
    public int Port { get; set; } = 50000;

    /// <summary>The address put in candidates when it differs from the bound one (a server behind 1:1 NAT, as
    /// OpenVidu's <c>DOMAIN_OR_PUBLIC_IP</c>); unset: the bound address.</summary>
    public string? AnnouncedIp { get; set; }

    /// <summary>Batched UDP on Linux: the port takes up to 32 datagrams per recvmmsg(2) and sends what handling them
    /// produced with one sendmmsg(2) per round, instead of a system call per datagram. Off (or elsewhere than Linux):
    /// one receive and one send per datagram.</summary>
    public bool BatchedUdp { get; set; } = true;

    /// <summary>RFC 7675 consent: a transport whose peer sends no valid check for this long is closed.</summary>
    public TimeSpan ConsentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>ICE-TCP (RFC 6544): also listen on TCP at the media port's number and announce a passive TCP host
    /// candidate, for networks that block UDP.</summary>
    public bool TcpEnabled { get; set; } = true;

    /// <summary>Open ICE-TCP connections at most; further ones are closed as soon as they are accepted.</summary>
    public int MaxTcpConnections { get; set; } = 1000;

    /// <summary>An ICE-TCP connection that brings no valid connectivity check within this time is closed.</summary>
    public TimeSpan TcpCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
