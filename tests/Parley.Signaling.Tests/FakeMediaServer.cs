using System.Collections.Concurrent;
using Parley.Signaling.Media;

namespace Parley.Signaling.Tests;

/// <summary>
/// Stands in for the SFU in signalling's own tests (the SFU is tested with real browsers in its own suite): it
/// answers every SDP with a text naming the endpoint and records each call, so tests see exactly what signalling
/// asked of the media server.
/// </summary>
internal sealed class FakeMediaServer : IMediaServer
{
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>When set, the next media call fails with this error.</summary>
    public MediaServerException? NextFailure { get; set; }

    private void Record(string call)
    {
        Calls.Enqueue(call);
        if (NextFailure is { } failure)
        {
            NextFailure = null;
            throw failure;
        }
    }

    public ValueTask<string> PublishAsync(MediaPublication publication, string sdpOffer, CancellationToken cancellationToken)
    {
        Record($"publish {publication.StreamId} audio={publication.HasAudio} video={publication.HasVideo} offer={sdpOffer}");
        return ValueTask.FromResult($"answer-for-{publication.StreamId}");
    }

    public ValueTask<string> SubscribeAsync(MediaSubscription subscription, string sdpOffer, CancellationToken cancellationToken)
    {
        Record($"subscribe {subscription.EndpointId} offer={sdpOffer}");
        return ValueTask.FromResult($"answer-for-{subscription.EndpointId}");
    }

    public ValueTask<string> OfferSubscriptionAsync(MediaSubscription subscription, CancellationToken cancellationToken)
    {
        Record($"offer {subscription.EndpointId}");
        return ValueTask.FromResult($"offer-for-{subscription.EndpointId}");
    }

    public ValueTask AcceptSubscriptionAnswerAsync(MediaSubscription subscription, string sdpAnswer, CancellationToken cancellationToken)
    {
        Record($"accept {subscription.EndpointId} answer={sdpAnswer}");
        return ValueTask.CompletedTask;
    }

    public ValueTask AddIceCandidateAsync(string endpointId, string candidate, string? sdpMid, int? sdpMLineIndex, CancellationToken cancellationToken)
    {
        Record($"candidate {endpointId} {candidate}");
        return ValueTask.CompletedTask;
    }

    public void Release(string endpointId) => Calls.Enqueue($"release {endpointId}");

    public event Action<string, string>? EndpointLost;

    /// <summary>Acts as the media server losing an endpoint's peer.</summary>
    public void Lose(string sessionId, string endpointId) => EndpointLost?.Invoke(sessionId, endpointId);
}
