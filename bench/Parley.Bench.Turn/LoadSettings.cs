namespace Parley.Bench.Turn;

/// <summary>How the load generator drives a server; the same for every server.</summary>
internal sealed record LoadSettings(
    RelayMode Mode,
    int Clients,
    int Window,
    int PayloadSize,
    int ClientThreads,
    int PeerThreads,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan PacketTimeout)
{
    /// <summary>The channel every client binds to its peer.</summary>
    public const ushort Channel = 0x4000;

    /// <summary>Client threads actually used: never more than there are clients.</summary>
    public int EffectiveClientThreads => Math.Min(ClientThreads, Clients);

    /// <summary>Echo sockets (one per peer thread): never more than there are clients.</summary>
    public int EffectivePeerThreads => Math.Min(PeerThreads, Clients);

    /// <summary>"ChannelData" or "Send/Data indications", for the report.</summary>
    public string ModeDescription => Mode == RelayMode.ChannelData ? "ChannelData" : "Send/Data indications";
}
