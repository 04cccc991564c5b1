namespace Parley.Sfu;

/// <summary>
/// One track a subscriber receives, as negotiated: its m-section, the producer it forwards, the payload type the
/// subscriber knows the codec by (its own numbering in the client-offer flow), the SSRC the server sends it with,
/// and the header extension ids of the producer's packets that keep their meaning for this subscriber (others are
/// left in the packets, unknown to it, and ignored).
/// </summary>
public sealed record ConsumerDescription(string Mid, ProducerDescription Producer, int PayloadType, uint Ssrc, IReadOnlySet<byte> SharedExtensionIds);
