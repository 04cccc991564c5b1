namespace Parley.Sfu;

/// <summary>
/// One endpoint (a publisher's or a subscriber's peer connection) at one moment: its negotiation, the ICE candidates
/// of its selected path (in <c>a=candidate</c> grammar: the server's, and the peer's address as the server sees it),
/// its transport's totals and its streams.
/// </summary>
public sealed record EndpointStatistics(
    string Id,
    bool IsPublisher,
    DateTimeOffset CreatedAt,
    string? LocalSdp,
    string? RemoteSdp,
    string LocalCandidate,
    string? RemoteCandidate,
    long PacketsReceived,
    long BytesReceived,
    long PacketsSent,
    long BytesSent,
    IReadOnlyList<StreamStatistics> Streams);
