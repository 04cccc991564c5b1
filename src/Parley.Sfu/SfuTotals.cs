namespace Parley.Sfu;

/// <summary>
/// The media server's traffic since it started, for monitoring counters: every endpoint's, the closed ones'
/// included. Packets and bytes are SRTP as received and as forwarded; NACKs, PLIs and retransmissions count
/// both directions (to publishers and from subscribers).
/// </summary>
public sealed record SfuTotals(
    long PacketsReceived,
    long BytesReceived,
    long PacketsSent,
    long BytesSent,
    long NacksSent,
    long NacksReceived,
    long PlisSent,
    long PlisReceived,
    long RetransmissionsSent,
    long RetransmissionsReceived)
{
    public static SfuTotals Zero { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static SfuTotals operator +(SfuTotals a, SfuTotals b) => new(
        a.PacketsReceived + b.PacketsReceived,
        a.BytesReceived + b.BytesReceived,
        a.PacketsSent + b.PacketsSent,
        a.BytesSent + b.BytesSent,
        a.NacksSent + b.NacksSent,
        a.NacksReceived + b.NacksReceived,
        a.PlisSent + b.PlisSent,
        a.PlisReceived + b.PlisReceived,
        a.RetransmissionsSent + b.RetransmissionsSent,
        a.RetransmissionsReceived + b.RetransmissionsReceived);

    /// <summary>Each figure the larger of the two.</summary>
    public static SfuTotals Max(SfuTotals a, SfuTotals b) => new(
        Math.Max(a.PacketsReceived, b.PacketsReceived),
        Math.Max(a.BytesReceived, b.BytesReceived),
        Math.Max(a.PacketsSent, b.PacketsSent),
        Math.Max(a.BytesSent, b.BytesSent),
        Math.Max(a.NacksSent, b.NacksSent),
        Math.Max(a.NacksReceived, b.NacksReceived),
        Math.Max(a.PlisSent, b.PlisSent),
        Math.Max(a.PlisReceived, b.PlisReceived),
        Math.Max(a.RetransmissionsSent, b.RetransmissionsSent),
        Math.Max(a.RetransmissionsReceived, b.RetransmissionsReceived));

    /// <summary>An endpoint's share of the totals.</summary>
    public static SfuTotals Of(EndpointStatistics endpoint)
    {
        long nacks = 0, plis = 0, retransmissions = 0;
        foreach (StreamStatistics stream in endpoint.Streams)
        {
            nacks += stream.Nacks;
            plis += stream.Plis + stream.Firs;
            retransmissions += stream.Retransmissions;
        }

        return endpoint.IsPublisher
            ? new(endpoint.PacketsReceived, endpoint.BytesReceived, endpoint.PacketsSent, endpoint.BytesSent, nacks, 0, plis, 0, 0, retransmissions)
            : new(endpoint.PacketsReceived, endpoint.BytesReceived, endpoint.PacketsSent, endpoint.BytesSent, 0, nacks, 0, plis, retransmissions, 0);
    }
}
