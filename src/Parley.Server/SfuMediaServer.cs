using System.Collections.Concurrent;
using System.Text.Json;
using Parley.Sfu;
using Parley.Sfu.Negotiation;
using Parley.Signaling.Media;
using Parley.Signaling.Rpc;

namespace Parley.Server;

/// <summary>
/// Signalling's media calls served by the SFU: one router per OpenVidu session, endpoints named as OpenVidu names
/// them; negotiation failures become OpenVidu's errors (302 SDP, 800 forced codec missing). A router is closed
/// when its last endpoint goes.
/// </summary>
internal sealed class SfuMediaServer : IMediaServer
{
    private readonly ConcurrentDictionary<string, string> _routerOfEndpoint = new(StringComparer.Ordinal);
    private readonly SfuServer sfu;

    public SfuMediaServer(SfuServer sfu)
    {
        this.sfu = sfu;
        sfu.EndpointLost += (router, endpoint) =>
        {
            _routerOfEndpoint.TryRemove(endpoint, out _);
            EndpointLost?.Invoke(router, endpoint);
        };
    }

    public event Action<string, string>? EndpointLost;

    public ValueTask<string> PublishAsync(MediaPublication publication, string sdpOffer, CancellationToken cancellationToken) =>
        Negotiate(publication.StreamId, publication.SessionId,
            router => router.Publish(publication.StreamId, sdpOffer, new CodecPreferences(publication.ForcedVideoCodec)));

    public ValueTask<string> SubscribeAsync(MediaSubscription subscription, string sdpOffer, CancellationToken cancellationToken) =>
        Negotiate(subscription.EndpointId, subscription.SessionId,
            router => router.Subscribe(subscription.EndpointId, subscription.StreamId, sdpOffer));

    public ValueTask<string> OfferSubscriptionAsync(MediaSubscription subscription, CancellationToken cancellationToken) =>
        Negotiate(subscription.EndpointId, subscription.SessionId,
            router => router.OfferSubscription(subscription.EndpointId, subscription.StreamId));

    public async ValueTask AcceptSubscriptionAnswerAsync(MediaSubscription subscription, string sdpAnswer, CancellationToken cancellationToken) =>
        await Negotiate(subscription.EndpointId, subscription.SessionId, router =>
        {
            router.AcceptAnswer(subscription.EndpointId, sdpAnswer);
            return "";
        });

    /// <summary>The server is ICE-lite: it learns the browser's addresses from its checks, so trickled candidates
    /// are not needed.</summary>
    public ValueTask AddIceCandidateAsync(string endpointId, string candidate, string? sdpMid, int? sdpMLineIndex, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public void Release(string endpointId)
    {
        if (_routerOfEndpoint.TryRemove(endpointId, out string? routerId) && sfu.FindRouter(routerId) is { } router)
        {
            router.Release(endpointId);
            if (router.EndpointCount == 0)
            {
                sfu.CloseRouter(routerId);
            }
        }
    }

    /// <summary>OpenVidu's extended endpoint fields, with Parley's statistics as <c>serverStats</c>: one entry per RTP
    /// stream by SSRC, typed <c>inboundrtp</c> (what the server receives from a publisher) or <c>outboundrtp</c> (what
    /// it sends a subscriber), named as Kurento names its statistics.</summary>
    public void WriteWebRtcStats(string endpointId, Utf8JsonWriter json)
    {
        if (!_routerOfEndpoint.TryGetValue(endpointId, out string? routerId)
            || sfu.FindRouter(routerId)?.GetStatistics(endpointId) is not { } stats)
        {
            return;
        }

        json.WriteString("webrtcEndpointName", stats.Id);
        json.WriteString("localSdp", stats.LocalSdp);
        json.WriteString("remoteSdp", stats.RemoteSdp);
        json.WriteString("localCandidate", stats.LocalCandidate);
        json.WriteString("remoteCandidate", stats.RemoteCandidate);
        json.WriteStartArray("clientIceCandidates"); // ICE-lite: the browser's trickled candidates are not used
        json.WriteEndArray();
        json.WriteStartArray("serverIceCandidates");
        json.WriteStartObject();
        json.WriteString("candidate", stats.LocalCandidate);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("events");
        json.WriteEndArray();
        json.WriteStartObject("serverStats");
        long timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (StreamStatistics stream in stats.Streams)
        {
            bool inbound = stats.IsPublisher;
            json.WriteStartObject(stream.Ssrc.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("type", inbound ? "inboundrtp" : "outboundrtp");
            json.WriteNumber("timestampMillis", timestamp);
            json.WriteString("mediaType", stream.Kind == MediaKind.Video ? "video" : "audio");
            json.WriteNumber("ssrc", stream.Ssrc);
            json.WriteString("codec", stream.Codec);
            if (stream.Rid is not null)
            {
                json.WriteString("rid", stream.Rid);
            }

            if (stream.Layer is { } layer)
            {
                json.WriteNumber("layer", layer);
            }

            json.WriteNumber(inbound ? "packetsReceived" : "packetsSent", stream.Packets);
            json.WriteNumber(inbound ? "bytesReceived" : "bytesSent", stream.Bytes);
            json.WriteNumber("bitrate", stream.Bitrate);
            json.WriteNumber("packetsLost", stream.PacketsLost);
            json.WriteNumber("fractionLost", stream.FractionLost);
            json.WriteNumber("jitter", stream.JitterSeconds);
            if (stream.RoundTripSeconds is { } roundTrip)
            {
                json.WriteNumber("roundTripTime", roundTrip);
            }

            json.WriteNumber("nackCount", stream.Nacks);
            json.WriteNumber("pliCount", stream.Plis);
            json.WriteNumber("firCount", stream.Firs);
            json.WriteNumber(inbound ? "retransmittedPacketsReceived" : "retransmittedPacketsSent", stream.Retransmissions);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private ValueTask<string> Negotiate(string endpointId, string sessionId, Func<Router, string> negotiate)
    {
        try
        {
            string sdp = negotiate(sfu.GetOrCreateRouter(sessionId));
            _routerOfEndpoint[endpointId] = sessionId;
            return ValueTask.FromResult(sdp);
        }
        catch (NegotiationException e)
        {
            throw new MediaServerException(e.ForcedCodecMissing ? 800 : RpcErrorCodes.MediaSdp, e.Message);
        }
    }
}
