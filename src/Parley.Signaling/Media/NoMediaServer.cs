using Parley.Signaling.Rpc;

namespace Parley.Signaling.Media;

/// <summary>Signalling without a media server (a host that registers none): every media call is answered with a
/// clear error, and the rest of the protocol (sessions, signals) works.</summary>
internal sealed class NoMediaServer : IMediaServer
{
    private static MediaServerException Unavailable() =>
        new(RpcErrorCodes.MediaGeneric, "This server has no media server: publishing and subscribing are not available");

    public ValueTask<string> PublishAsync(MediaPublication publication, string sdpOffer, CancellationToken cancellationToken) => throw Unavailable();

    public ValueTask<string> SubscribeAsync(MediaSubscription subscription, string sdpOffer, CancellationToken cancellationToken) => throw Unavailable();

    public ValueTask<string> OfferSubscriptionAsync(MediaSubscription subscription, CancellationToken cancellationToken) => throw Unavailable();

    public ValueTask AcceptSubscriptionAnswerAsync(MediaSubscription subscription, string sdpAnswer, CancellationToken cancellationToken) => throw Unavailable();

    public ValueTask AddIceCandidateAsync(string endpointId, string candidate, string? sdpMid, int? sdpMLineIndex, CancellationToken cancellationToken) =>
        throw Unavailable();

    public void Release(string endpointId)
    {
    }

    public event Action<string, string>? EndpointLost
    {
        add { }
        remove { }
    }
}
