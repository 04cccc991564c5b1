using System.Text.Json;

namespace Parley.Signaling.Media;

/// <summary>
/// What signalling asks of the media server (the SFU), in OpenVidu's terms: a publisher endpoint per published
/// stream (id = the streamId) and a subscriber endpoint per subscription (id = <c>subscriberConnectionId_streamId</c>,
/// as OpenVidu names them). SDP goes in and out as text; failures are <see cref="MediaServerException"/>s, which
/// the caller answers as JSON-RPC errors.
/// </summary>
public interface IMediaServer
{
    /// <summary>publishVideo: answers the browser's offer for a new publisher endpoint.</summary>
    ValueTask<string> PublishAsync(MediaPublication publication, string sdpOffer, CancellationToken cancellationToken);

    /// <summary>receiveVideoFrom with an offer (the client-offer flow): answers it for a new subscriber endpoint.</summary>
    ValueTask<string> SubscribeAsync(MediaSubscription subscription, string sdpOffer, CancellationToken cancellationToken);

    /// <summary>prepareReceiveVideoFrom (the server-offer flow): the server's offer for a new subscriber endpoint.</summary>
    ValueTask<string> OfferSubscriptionAsync(MediaSubscription subscription, CancellationToken cancellationToken);

    /// <summary>receiveVideoFrom with an answer: completes a subscription the server offered.</summary>
    ValueTask AcceptSubscriptionAnswerAsync(MediaSubscription subscription, string sdpAnswer, CancellationToken cancellationToken);

    /// <summary>A candidate the browser trickled for an endpoint (an ICE-lite server may learn addresses from the
    /// checks instead and ignore it).</summary>
    ValueTask AddIceCandidateAsync(string endpointId, string candidate, string? sdpMid, int? sdpMLineIndex, CancellationToken cancellationToken);

    /// <summary>Frees an endpoint at once (publisher: its subscribers' media stops too); unknown ids are ignored;
    /// never throws.</summary>
    void Release(string endpointId);

    /// <summary>Writes, into the JSON object being written, the endpoint's WebRTC details and statistics as
    /// OpenVidu adds them to a Publisher or subscriber object with <c>?webRtcStats=true</c> (<c>webrtcEndpointName,
    /// localSdp, remoteSdp, localCandidate, remoteCandidate, clientIceCandidates, serverIceCandidates, events,
    /// serverStats</c>); nothing for an unknown endpoint or a media server without statistics.</summary>
    void WriteWebRtcStats(string endpointId, Utf8JsonWriter json)
    {
    }

    /// <summary>Raised when an endpoint's peer is lost without being released (its connectivity consent expired or
    /// DTLS failed): session id, endpoint id. The media server has freed it already.</summary>
    event Action<string, string>? EndpointLost;
}

/// <summary>A stream to publish: who publishes it, what it carries, and the session's forced video codec
/// (OpenVidu's <c>forcedVideoCodec</c>: <c>VP8</c>, <c>VP9</c>, <c>H264</c>, or <c>MEDIA_SERVER_PREFERRED</c>).</summary>
public sealed record MediaPublication(string SessionId, string ConnectionId, string StreamId, bool HasAudio, bool HasVideo,
    string ForcedVideoCodec = "MEDIA_SERVER_PREFERRED");

/// <summary>A subscription of <paramref name="SubscriberConnectionId"/> to <paramref name="StreamId"/>.</summary>
public sealed record MediaSubscription(string SessionId, string SubscriberConnectionId, string StreamId, bool HasAudio, bool HasVideo)
{
    /// <summary>The endpoint id OpenVidu gives a subscription.</summary>
    public string EndpointId => EndpointIdOf(SubscriberConnectionId, StreamId);

    public static string EndpointIdOf(string subscriberConnectionId, string streamId) => $"{subscriberConnectionId}_{streamId}";
}
