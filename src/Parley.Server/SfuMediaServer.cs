using System.Collections.Concurrent;
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

    public void RequestKeyFrame(string streamId)
    {
        if (_routerOfEndpoint.TryGetValue(streamId, out string? routerId))
        {
            sfu.FindRouter(routerId)?.RequestKeyFrame(streamId);
        }
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
