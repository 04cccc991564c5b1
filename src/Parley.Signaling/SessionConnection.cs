namespace Parley.Signaling;

/// <summary>
/// A connection of a session (OpenVidu's Connection): created pending by the REST API with a single-use token,
/// active once a client joins with that token. Mutable state is guarded by the owning session's lock.
/// </summary>
public sealed class SessionConnection
{
    internal SessionConnection(string connectionId, string token, string tokenKey, long createdAt, ConnectionProperties properties)
    {
        ConnectionId = connectionId;
        Token = token;
        TokenKey = tokenKey;
        CreatedAt = createdAt;
        Role = properties.Role;
        Record = properties.Record;
        Properties = properties;
    }

    public string ConnectionId { get; }

    /// <summary>The whole token string (<c>ws(s)://host?sessionId=…&amp;token=tok_…</c>): the single-use key.</summary>
    public string Token { get; }

    /// <summary>The <c>tok_…</c> value inside <see cref="Token"/>: what a joining client must present.</summary>
    internal string TokenKey { get; }

    /// <summary>Unix milliseconds of the REST call that created the connection.</summary>
    public long CreatedAt { get; }

    public ConnectionProperties Properties { get; }

    /// <summary>Changed by PATCH while the connection lives.</summary>
    public OpenViduRole Role { get; internal set; }

    public bool Record { get; internal set; }

    public bool IsActive => ActiveAt.HasValue;

    public long? ActiveAt { get; internal set; }

    public string? Ip { get; internal set; }

    public string? Platform { get; internal set; }

    /// <summary>The metadata the client sent in joinRoom.</summary>
    public string? ClientData { get; internal set; }

    /// <summary>What every participant sees as the connection's data: client data and server data joined by
    /// <c>%/%</c> when both are set, as OpenVidu's <c>getFullMetadata</c> does.</summary>
    public string FullMetadata => (ClientData ?? "", Properties.Data) switch
    {
        ("", var server) => server,
        (var client, "") => client,
        (var client, var server) => client + "%/%" + server,
    };

    /// <summary>The stream this participant publishes (at most one, as OpenVidu allows).</summary>
    public PublishedStream? Stream { get; internal set; }

    /// <summary>The streams this participant subscribes to, with when each subscription was made.</summary>
    internal Dictionary<string, long> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>The client's RPC session while the connection is active.</summary>
    internal Rpc.RpcSession? Rpc { get; set; }
}
