using System.Globalization;
using System.Text;
using Parley.Sfu;
using Parley.Signaling;
using Parley.Signaling.Rest;
using Parley.Turn;
using Parley.WebRtc;

namespace Parley.Server;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format (version 0.0.4), behind the REST secret: sessions and
/// connections, media transports and the media traffic, the TURN server's allocations and relayed traffic, and the
/// process's managed allocations and garbage collections (bench/Parley.Bench.Sfu divides the allocations by the
/// packets it saw forwarded).
/// </summary>
internal static class MetricsEndpoint
{
    public static void MapMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/metrics", (SignalingService signaling, SfuServer sfu, StunHostedService stun) =>
                Results.Text(Write(signaling, sfu, stun.Turn), "text/plain; version=0.0.4; charset=utf-8"))
            .RequireOpenViduSecret();

    private static string Write(SignalingService signaling, SfuServer sfu, TurnServer? turn)
    {
        var text = new StringBuilder();
        IReadOnlyList<SignalingSession> sessions = signaling.Sessions.All;
        Gauge(text, "parley_sessions", "Sessions open now.", sessions.Count);
        Gauge(text, "parley_connections", "Active connections (participants) now.",
            sessions.Sum(s => s.GetConnections(includePending: false).Count));
        Gauge(text, "parley_webrtc_transports", "WebRTC transports (peer connections) on the media port now.",
            sfu.Transport.TransportCount);
        Gauge(text, "parley_webrtc_tcp_connections", "ICE-TCP connections open on the media port now.",
            sfu.Transport.TcpConnectionCount);
        SfuTotals media = sfu.Totals;
        ByDirection(text, "parley_media_packets_total", "RTP packets on the media port, by direction (in: from publishers).",
            media.PacketsReceived, media.PacketsSent);
        ByDirection(text, "parley_media_bytes_total", "SRTP bytes of those packets, by direction.", media.BytesReceived, media.BytesSent);
        ByDirection(text, "parley_media_nacks_total", "NACKs: sent to publishers (out) and received from subscribers (in).",
            media.NacksReceived, media.NacksSent);
        ByDirection(text, "parley_media_keyframe_requests_total",
            "PLIs and FIRs: sent to publishers (out) and received from subscribers (in).", media.PlisReceived, media.PlisSent);
        ByDirection(text, "parley_media_retransmissions_total",
            "Retransmitted packets: sent to subscribers (out) and received from publishers (in).",
            media.RetransmissionsReceived, media.RetransmissionsSent);
        Counter(text, "parley_dotnet_allocated_bytes_total", "Bytes the process has allocated on the managed heap.",
            GC.GetTotalAllocatedBytes());
        Header(text, "parley_dotnet_gc_collections_total", "Garbage collections, by generation.", "counter");
        for (int generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            Sample(text, $"parley_dotnet_gc_collections_total{{generation=\"{generation}\"}}", GC.CollectionCount(generation));
        }

        if (turn is not null)
        {
            TurnCounters counters = turn.Counters;
            (int permissions, int channels) = turn.BindingCounts;
            Gauge(text, "parley_turn_allocations", "TURN allocations held now.", turn.AllocationCount);
            Gauge(text, "parley_turn_permissions", "TURN permissions held now.", permissions);
            Gauge(text, "parley_turn_channels", "TURN channel bindings held now.", channels);
            Counter(text, "parley_turn_allocations_created_total", "TURN allocations made.", counters.AllocationsCreated);
            Counter(text, "parley_turn_allocations_deleted_total", "TURN allocations ended.", counters.AllocationsDeleted);
            Counter(text, "parley_turn_permissions_created_total", "TURN permissions installed.", counters.PermissionsCreated);
            Counter(text, "parley_turn_channels_bound_total", "TURN channels bound.", counters.ChannelsBound);
            Counter(text, "parley_turn_auth_failures_total", "TURN requests refused for their credentials.", counters.AuthFailures);
            ByDirection(text, "parley_turn_relayed_packets_total", "Datagrams relayed, by direction (out: client to peer).",
                counters.PacketsRelayedIn, counters.PacketsRelayedOut);
            ByDirection(text, "parley_turn_relayed_bytes_total", "Payload bytes relayed, by direction.",
                counters.BytesRelayedIn, counters.BytesRelayedOut);
            Counter(text, "parley_turn_dropped_packets_total",
                "Datagrams not relayed: no permission or channel, a refused peer, over the bandwidth cap.", counters.PacketsDropped);
        }

        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "gauge");
        Sample(text, name, value);
    }

    private static void Counter(StringBuilder text, string name, string help, long value)
    {
        Header(text, name, help, "counter");
        Sample(text, name, value);
    }

    /// <summary>A counter with a sample per direction, <c>in</c> and <c>out</c>.</summary>
    private static void ByDirection(StringBuilder text, string name, string help, long @in, long @out)
    {
        Header(text, name, help, "counter");
        Sample(text, name + "{direction=\"in\"}", @in);
        Sample(text, name + "{direction=\"out\"}", @out);
    }

    private static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, long value) =>
        text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
