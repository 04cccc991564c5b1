namespace Parley.Turn;

/// <summary>
/// Settings of the TURN server (configuration section <c>Turn</c>), named after coturn's where coturn has one. TURN
/// is served on the STUN listeners (<c>Stun:ListeningPort</c>, 3478, and <c>Stun:TlsListeningPort</c>, 5349).
/// </summary>
public sealed class TurnServerOptions
{
    public const string SectionName = "Turn";

    /// <summary>Whether the STUN port also serves TURN.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The realm of long-term credentials (coturn's <c>realm</c>).</summary>
    public string Realm { get; set; } = "parley";

    /// <summary>The shared secret of coturn's REST API credentials (<c>static-auth-secret</c>): username
    /// <c>"&lt;unix-expiry&gt;:&lt;user&gt;"</c>, password <c>base64(HMAC-SHA1(secret, username))</c>. When empty the
    /// host makes a random one at start-up, so that signaling can still mint credentials.</summary>
    public string? StaticAuthSecret { get; set; }

    /// <summary>Static <c>name:password</c> pairs (coturn's <c>user</c>).</summary>
    public IList<string> Users { get; } = [];

    /// <summary>The relay port range (coturn's <c>min-port</c>/<c>max-port</c>).</summary>
    public int MinPort { get; set; } = 49152;

    public int MaxPort { get; set; } = 65535;

    /// <summary>The address relay sockets are bound to (coturn's <c>relay-ip</c>); by default the listening address
    /// the client reached, or the first non-loopback address when that is a wildcard.</summary>
    public IList<string> RelayIps { get; } = [];

    /// <summary>The public address announced in XOR-RELAYED-ADDRESS for a server behind 1:1 NAT (coturn's
    /// <c>external-ip</c>): <c>public</c> or <c>public/private</c>.</summary>
    public string? ExternalIp { get; set; }

    /// <summary>CIDR ranges exempt from the refusal of loopback, private, link-local and other special peer
    /// addresses (coturn's <c>allowed-peer-ip</c>), e.g. <c>127.0.0.0/8</c> for tests.</summary>
    public IList<string> AllowedPeerRanges { get; } = [];

    /// <summary>CIDR ranges refused on top of the built-in list (coturn's <c>denied-peer-ip</c>).</summary>
    public IList<string> DeniedPeerRanges { get; } = [];

    /// <summary>Allocations one username may hold at once (coturn's <c>user-quota</c>); 0 for no limit.</summary>
    public int UserQuota { get; set; } = 100;

    /// <summary>Allocations the server holds at once (coturn's <c>total-quota</c>); 0 for no limit but the port
    /// range.</summary>
    public int TotalQuota { get; set; }

    /// <summary>Relayed bytes per second per allocation, both directions together (coturn's <c>max-bps</c>); 0 for
    /// no cap.</summary>
    public long MaxBps { get; set; }

    /// <summary>Threads receiving peers' datagrams for all allocations, each waiting in its own epoll set (Linux);
    /// 0 for one per core, -1 to receive on .NET's socket engine instead (as on other systems).</summary>
    public int RelayThreads { get; set; }

    /// <summary>The longest lifetime a client may ask for (coturn's <c>max-allocate-lifetime</c>).</summary>
    public TimeSpan MaxAllocateLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a nonce stays valid (coturn's <c>stale-nonce</c>).</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Requests without valid credentials answered per second per client address; more are dropped.</summary>
    public int UnauthenticatedRequestsPerSecond { get; set; } = 50;

    /// <summary>The server's TLS certificate and key, PEM files as certbot writes them (coturn's <c>cert</c> and
    /// <c>pkey</c>); TLS is served on <c>Stun:TlsListeningPort</c> when both are set.</summary>
    public string? Certificate { get; set; }

    public string? PrivateKey { get; set; }

    /// <summary>How long a REST API credential minted for a participant is valid.</summary>
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromHours(24);
}
