namespace Parley.Sfu;

/// <summary>
/// One RTP stream of an endpoint at one moment: for a publisher, an encoding the server receives (a simulcast
/// layer has its own); for a subscriber, a stream the server sends it. Loss, jitter and round trip are what the
/// server measured (received streams) or what the subscriber reported (sent streams); NACKs, PLIs and FIRs are those
/// the server sent (received streams) or received (sent streams).
/// </summary>
public sealed record StreamStatistics(
    MediaKind Kind,
    uint Ssrc,
    string? Rid,
    string Codec,
    long Packets,
    long Bytes,
    long Bitrate,
    long PacketsLost,
    double FractionLost,
    double JitterSeconds,
    double? RoundTripSeconds,
    long Nacks,
    long Plis,
    long Firs,
    long Retransmissions,
    int? Layer);
