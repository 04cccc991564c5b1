using Microsoft.Extensions.Logging;
using Parley.Sdp;
using Parley.Sfu.Media;
using Parley.Sfu.Negotiation;
using Parley.WebRtc;

namespace Parley.Sfu;

/// <summary>
/// The media of one room (mediasoup's Router): publisher endpoints with their producers and subscriber endpoints
/// with their consumers, by the ids the caller gives them. Negotiation happens here, under one lock; forwarding
/// happens on the media port's receive loop without it.
/// </summary>
public sealed partial class Router : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PublisherEndpoint> _publishers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubscriberEndpoint> _subscribers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (SubscriberEndpoint Endpoint, IReadOnlyList<ConsumerDescription> Offered, PublisherEndpoint Publisher)> _offered =
        new(StringComparer.Ordinal);

    private readonly WebRtcServer _server;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    private readonly Action<EndpointStatistics> _closed;

    internal Router(string id, WebRtcServer server, TimeProvider time, ILogger log, Action<EndpointStatistics> closed)
    {
        Id = id;
        _closed = closed;
        _server = server;
        _time = time;
        _log = log;
    }

    public string Id { get; }

    /// <summary>Raised (on a pool thread) when an endpoint's transport closes without being released: its peer's
    /// consent expired (RFC 7675) or DTLS failed. The endpoint is released; the id is passed on.</summary>
    public event Action<string>? EndpointLost;

    /// <summary>Answers a publisher's offer; its tracks become producers under <paramref name="endpointId"/>.</summary>
    /// <exception cref="NegotiationException">The offer is malformed or has nothing the server can forward.</exception>
    public string Publish(string endpointId, string sdpOffer, CodecPreferences codecs)
    {
        SessionDescription offer = Parse(sdpOffer);
        CertificateFingerprintAndUfrag remote = Remote(offer);
        WebRtcTransport transport = _server.CreateTransport(remote.Fingerprint, remote.Ufrag);
        try
        {
            (SessionDescription answer, IReadOnlyList<ProducerDescription> producers) = PublishAnswer.Build(offer, transport, _server, codecs);
            string sdpAnswer = answer.ToString();
            var endpoint = new PublisherEndpoint(endpointId, transport, producers, _time, _log) { RemoteSdp = sdpOffer, LocalSdp = sdpAnswer };
            lock (_gate)
            {
                ReleaseLocked(endpointId);
                _publishers[endpointId] = endpoint;
            }

            Watch(endpoint);

            LogPublished(Id, endpointId, string.Join(", ", producers.Select(p => $"{p.Kind} {p.Codec.Name}")));
            return sdpAnswer;
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>Answers a subscriber's offer (client-offer flow) for the producers of <paramref name="publisherId"/>.</summary>
    public string Subscribe(string endpointId, string publisherId, string sdpOffer)
    {
        SessionDescription offer = Parse(sdpOffer);
        PublisherEndpoint publisher = FindPublisher(publisherId);
        CertificateFingerprintAndUfrag remote = Remote(offer);
        WebRtcTransport transport = _server.CreateTransport(remote.Fingerprint, remote.Ufrag);
        try
        {
            (SessionDescription answer, IReadOnlyList<ConsumerDescription> consumers) =
                SubscribeAnswer.Build(offer, [.. publisher.Producers.Select(p => p.Description)], transport, _server);
            string sdpAnswer = answer.ToString();
            var endpoint = new SubscriberEndpoint(endpointId, transport, _time, _log) { RemoteSdp = sdpOffer, LocalSdp = sdpAnswer };
            lock (_gate)
            {
                ReleaseLocked(endpointId);
                _subscribers[endpointId] = endpoint;
            }

            Watch(endpoint);

            endpoint.Attach(consumers.Select(c => new Consumer(c, endpoint, publisher.Producers.First(p => p.Description == c.Producer))));
            return sdpAnswer;
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>The server's offer to a subscriber (server-offer flow); completed by <see cref="AcceptAnswer"/>.</summary>
    public string OfferSubscription(string endpointId, string publisherId)
    {
        PublisherEndpoint publisher = FindPublisher(publisherId);
        // The browser's fingerprint and ufrag are only known from its answer; its DTLS may arrive first and waits.
        WebRtcTransport transport = _server.CreateTransport(remoteFingerprint: null, remoteUfrag: null);
        (SessionDescription offer, IReadOnlyList<ConsumerDescription> consumers) =
            SubscriptionOffer.Build([.. publisher.Producers.Select(p => p.Description)], transport, _server, (ulong)Random.Shared.NextInt64(1, long.MaxValue));
        string sdpOffer = offer.ToString();
        var endpoint = new SubscriberEndpoint(endpointId, transport, _time, _log) { LocalSdp = sdpOffer };
        lock (_gate)
        {
            ReleaseLocked(endpointId);
            _offered[endpointId] = (endpoint, consumers, publisher);
        }

        Watch(endpoint);

        return sdpOffer;
    }

    public void AcceptAnswer(string endpointId, string sdpAnswer)
    {
        SessionDescription answer = Parse(sdpAnswer);
        (SubscriberEndpoint Endpoint, IReadOnlyList<ConsumerDescription> Offered, PublisherEndpoint Publisher) pending;
        lock (_gate)
        {
            if (!_offered.Remove(endpointId, out pending))
            {
                throw new NegotiationException($"No offer is waiting for an answer on {endpointId}");
            }
        }

        IReadOnlyList<ConsumerDescription> accepted = SubscriptionOffer.Accept(answer, pending.Offered);
        CertificateFingerprintAndUfrag remote = Remote(answer);
        pending.Endpoint.Transport.AcceptRemote(remote.Fingerprint, remote.Ufrag);
        pending.Endpoint.RemoteSdp = sdpAnswer;
        lock (_gate)
        {
            _subscribers[endpointId] = pending.Endpoint;
        }

        pending.Endpoint.Attach(accepted.Select(c => new Consumer(c, pending.Endpoint, pending.Publisher.Producers.First(p => p.Description == c.Producer))));
    }

    /// <summary>Frees an endpoint: a publisher's consumers stop receiving; a subscriber's consumers detach.</summary>
    public void Release(string endpointId)
    {
        lock (_gate)
        {
            ReleaseLocked(endpointId);
        }
    }

    /// <summary>Statistics of one endpoint, or null when there is no such endpoint.</summary>
    public EndpointStatistics? GetStatistics(string endpointId)
    {
        MediaEndpoint? endpoint;
        lock (_gate)
        {
            endpoint = (MediaEndpoint?)_publishers.GetValueOrDefault(endpointId)
                ?? _subscribers.GetValueOrDefault(endpointId)
                ?? (_offered.TryGetValue(endpointId, out var offered) ? offered.Endpoint : null);
        }

        return endpoint?.GetStatistics(_server.HostCandidate, _server.TcpHostCandidate);
    }

    /// <summary>Statistics of every endpoint.</summary>
    public IReadOnlyList<EndpointStatistics> GetStatistics()
    {
        MediaEndpoint[] endpoints;
        lock (_gate)
        {
            endpoints = [.. _publishers.Values, .. _subscribers.Values, .. _offered.Values.Select(o => o.Endpoint)];
        }

        return [.. endpoints.Select(e => e.GetStatistics(_server.HostCandidate, _server.TcpHostCandidate))];
    }

    public int EndpointCount
    {
        get
        {
            lock (_gate)
            {
                return _publishers.Count + _subscribers.Count + _offered.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (string id in _publishers.Keys.Concat(_subscribers.Keys).Concat(_offered.Keys).ToArray())
            {
                ReleaseLocked(id);
            }
        }
    }

    private void ReleaseLocked(string endpointId)
    {
        if (_subscribers.Remove(endpointId, out SubscriberEndpoint? subscriber))
        {
            subscriber.Dispose();
            _closed(subscriber.GetStatistics(_server.HostCandidate, _server.TcpHostCandidate));
        }

        if (_offered.Remove(endpointId, out var offered))
        {
            offered.Endpoint.Dispose();
            _closed(offered.Endpoint.GetStatistics(_server.HostCandidate, _server.TcpHostCandidate));
        }

        if (_publishers.Remove(endpointId, out PublisherEndpoint? publisher))
        {
            foreach (Producer producer in publisher.Producers)
            {
                foreach (Consumer consumer in producer.Consumers)
                {
                    producer.RemoveConsumer(consumer);
                }
            }

            publisher.Dispose();
            _closed(publisher.GetStatistics(_server.HostCandidate, _server.TcpHostCandidate));
        }
    }

    /// <summary>When an endpoint's transport closes while the endpoint is still registered, nobody released it: it
    /// was lost (consent expired, DTLS failed). It is released and <see cref="EndpointLost"/> raised.</summary>
    private void Watch(MediaEndpoint endpoint) =>
        _ = endpoint.Transport.Closed.ContinueWith(_ =>
        {
            bool lost;
            lock (_gate)
            {
                lost = (_publishers.GetValueOrDefault(endpoint.Id) == endpoint)
                    || (_subscribers.GetValueOrDefault(endpoint.Id) == endpoint)
                    || (_offered.TryGetValue(endpoint.Id, out var offered) && offered.Endpoint == endpoint);
                if (lost)
                {
                    ReleaseLocked(endpoint.Id);
                }
            }

            if (lost)
            {
                LogLost(Id, endpoint.Id);
                EndpointLost?.Invoke(endpoint.Id);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private PublisherEndpoint FindPublisher(string publisherId)
    {
        lock (_gate)
        {
            return _publishers.GetValueOrDefault(publisherId)
                ?? throw new NegotiationException($"Nothing is published as {publisherId}");
        }
    }

    private static SessionDescription Parse(string sdp) =>
        SessionDescription.TryParse(sdp, out SessionDescription? description, out string? error)
            ? description
            : throw new NegotiationException("Malformed SDP: " + error);

    private readonly record struct CertificateFingerprintAndUfrag(WebRtc.Dtls.CertificateFingerprint Fingerprint, string? Ufrag);

    private static CertificateFingerprintAndUfrag Remote(SessionDescription description)
    {
        (WebRtc.Dtls.CertificateFingerprint fingerprint, string? ufrag) = TransportSdp.RemoteTransport(description);
        return new CertificateFingerprintAndUfrag(fingerprint, ufrag);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Router {Router}: {Endpoint} lost its peer (no consent or DTLS failed); released")]
    private partial void LogLost(string router, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Router {Router}: {Endpoint} publishes {Tracks}")]
    private partial void LogPublished(string router, string endpoint, string tracks);
}
