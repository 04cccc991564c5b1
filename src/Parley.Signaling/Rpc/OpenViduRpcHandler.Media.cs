using System.Text.Json.Nodes;
using Parley.Signaling.Media;

namespace Parley.Signaling.Rpc;

/// <summary>Publishing and subscribing (openvidu-protocol.md §1.5-1.6): streams are recorded and announced here,
/// media endpoints are made by the <see cref="IMediaServer"/>.</summary>
internal sealed partial class OpenViduRpcHandler
{
    /// <summary>Relayed values keep their text as sent: no HTML-safe escaping of quotes inside strings.</summary>
    private static readonly System.Text.Json.JsonSerializerOptions RelayedJson =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async ValueTask<byte[]?> PublishVideoAsync(RpcSession rpc, SignalingSession session, SessionConnection publisher, JsonRpcRequest request)
    {
        if (publisher.Role == OpenViduRole.Subscriber)
        {
            throw new RpcException(RpcErrorCodes.UserUnauthorized, $"Connection {publisher.ConnectionId} has role SUBSCRIBER and cannot publish");
        }

        if (publisher.Stream is not null)
        {
            throw new RpcException(RpcErrorCodes.UserAlreadyStreaming, $"Connection {publisher.ConnectionId} is already publishing");
        }

        string offer = RpcParams.RequiredString(request, "sdpOffer");
        bool hasAudio = RpcParams.RequiredBoolean(request, "hasAudio");
        bool hasVideo = RpcParams.RequiredBoolean(request, "hasVideo");
        RpcParams.RequiredBoolean(request, "doLoopback");
        string? typeOfVideo = hasVideo ? RpcParams.OptionalString(request, "typeOfVideo") ?? "CAMERA" : null;
        var stream = new PublishedStream(PublishedStream.NewId(typeOfVideo, publisher.ConnectionId), signaling.Sessions.Now, hasAudio, hasVideo)
        {
            TypeOfVideo = typeOfVideo,
            FrameRate = RpcParams.OptionalInt32(request, "frameRate") ?? -1,
            AudioActive = RpcParams.OptionalBoolean(request, "audioActive") ?? hasAudio,
            VideoActive = RpcParams.OptionalBoolean(request, "videoActive") ?? hasVideo,
            VideoDimensions = RpcParams.OptionalString(request, "videoDimensions"),
        };

        string answer = await CallMediaAsync(() => media.PublishAsync(
            new MediaPublication(session.SessionId, publisher.ConnectionId, stream.StreamId, hasAudio, hasVideo, session.Properties.ForcedVideoCodec),
            offer, CancellationToken.None));
        byte[] result = JsonRpcFrames.Result(request.Id, rpc.Id, json =>
        {
            json.WriteString("sdpAnswer", answer);
            json.WriteString("id", stream.StreamId);
            json.WriteNumber("createdAt", stream.CreatedAt);
        });
        if (!session.Publish(publisher, stream, result))
        {
            media.Release(stream.StreamId);
            throw new RpcException(RpcErrorCodes.UserAlreadyStreaming, $"Connection {publisher.ConnectionId} left or published meanwhile");
        }

        LogPublished(session.SessionId, stream.StreamId);
        signaling.OnWebRtcConnectionCreated(session, publisher.ConnectionId, stream, receivingFrom: null);
        return null; // the session sent the result, before telling the others
    }

    private byte[] UnpublishVideo(RpcSession rpc, SignalingSession session, SessionConnection publisher, JsonRpcRequest request)
    {
        if (!signaling.Unpublish(session, publisher, EndReason.Unpublish, forced: false))
        {
            throw new RpcException(RpcErrorCodes.UserNotStreaming, $"Connection {publisher.ConnectionId} is not publishing");
        }

        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    private byte[] ForceUnpublish(RpcSession rpc, SignalingSession session, SessionConnection moderator, JsonRpcRequest request)
    {
        RequireModerator(moderator, "force unpublish");
        string streamId = RpcParams.RequiredString(request, "streamId");
        if (session.FindStream(streamId) is not { } found
            || !signaling.Unpublish(session, found.Publisher, EndReason.ForceUnpublishByUser, forced: true))
        {
            throw new RpcException(RpcErrorCodes.UserNotStreaming, $"Stream {streamId} is not published in session {session.SessionId}");
        }

        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    /// <summary>The stream a subscription names (<c>sender</c> is a streamId), or the OpenVidu error for it.</summary>
    private static (SessionConnection Publisher, PublishedStream Stream) StreamToSubscribe(SignalingSession session, string streamId)
    {
        if (session.FindStream(streamId) is { } found)
        {
            return found;
        }

        int at = streamId.LastIndexOf("con_", StringComparison.Ordinal);
        bool publisherHere = at >= 0 && session.FindConnection(streamId[at..]) is { IsActive: true };
        throw new RpcException(publisherHere ? RpcErrorCodes.UserNotStreaming : RpcErrorCodes.UserNotFound,
            publisherHere ? $"Stream {streamId} is not being published" : $"The publisher of stream {streamId} is not in session {session.SessionId}");
    }

    private async ValueTask<byte[]?> ReceiveVideoFromAsync(RpcSession rpc, SignalingSession session, SessionConnection subscriber, JsonRpcRequest request)
    {
        (SessionConnection _, PublishedStream stream) = StreamToSubscribe(session, RpcParams.RequiredString(request, "sender"));
        var subscription = new MediaSubscription(session.SessionId, subscriber.ConnectionId, stream.StreamId, stream.HasAudio, stream.HasVideo);
        if (RpcParams.OptionalString(request, "sdpAnswer") is { } sdpAnswer)
        {
            await CallMediaAsync(async () =>
            {
                await media.AcceptSubscriptionAnswerAsync(subscription, sdpAnswer, CancellationToken.None);
                return "";
            });
            Subscribed(session, subscriber, stream, subscription);
            return JsonRpcFrames.Result(request.Id, rpc.Id);
        }

        string offer = RpcParams.RequiredString(request, "sdpOffer");
        media.Release(subscription.EndpointId); // subscribing again replaces the previous subscription
        string answer = await CallMediaAsync(() => media.SubscribeAsync(subscription, offer, CancellationToken.None));
        Subscribed(session, subscriber, stream, subscription);
        return JsonRpcFrames.Result(request.Id, rpc.Id, json => json.WriteString("sdpAnswer", answer));
    }

    private async ValueTask<byte[]?> PrepareReceiveVideoFromAsync(RpcSession rpc, SignalingSession session, SessionConnection subscriber, JsonRpcRequest request)
    {
        (SessionConnection _, PublishedStream stream) = StreamToSubscribe(session, RpcParams.RequiredString(request, "sender"));
        var subscription = new MediaSubscription(session.SessionId, subscriber.ConnectionId, stream.StreamId, stream.HasAudio, stream.HasVideo);
        media.Release(subscription.EndpointId); // reconnect: true, or a repeated prepare, starts over
        string offer = await CallMediaAsync(() => media.OfferSubscriptionAsync(subscription, CancellationToken.None));
        return JsonRpcFrames.Result(request.Id, rpc.Id, json => json.WriteString("sdpOffer", offer));
    }

    private void Subscribed(SignalingSession session, SessionConnection subscriber, PublishedStream stream, MediaSubscription subscription)
    {
        if (!session.AddSubscription(subscriber, stream, signaling.Sessions.Now))
        {
            media.Release(subscription.EndpointId);
            throw new RpcException(RpcErrorCodes.UserNotStreaming, $"Stream {stream.StreamId} ended meanwhile");
        }

        if (session.FindStream(stream.StreamId) is { } found)
        {
            signaling.OnWebRtcConnectionCreated(session, subscriber.ConnectionId, stream, found.Publisher.ConnectionId);
        }
    }

    /// <summary><c>sender</c> is the publisher's connectionId here, not a streamId (openvidu-protocol.md §1.6).</summary>
    private byte[] UnsubscribeFromVideo(RpcSession rpc, SignalingSession session, SessionConnection subscriber, JsonRpcRequest request)
    {
        string publisherId = RpcParams.RequiredString(request, "sender");
        if (session.RemoveSubscription(subscriber, publisherId) is not { } streamId)
        {
            throw new RpcException(RpcErrorCodes.UserNotFound, $"Connection {subscriber.ConnectionId} is not subscribed to {publisherId}");
        }

        media.Release($"{subscriber.ConnectionId}_{streamId}");
        if (session.FindStream(streamId) is { } found)
        {
            signaling.OnWebRtcConnectionDestroyed(session, subscriber.ConnectionId, found.Stream, publisherId, EndReason.Unsubscribe);
        }

        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    /// <summary><c>endpointName</c> is the own connection id for the publisher connection, else the remote
    /// publisher's connection id for the subscription to it.</summary>
    private async ValueTask<byte[]?> OnIceCandidateAsync(RpcSession rpc, SessionConnection participant, JsonRpcRequest request)
    {
        string endpointName = RpcParams.RequiredString(request, "endpointName");
        string candidate = RpcParams.RequiredString(request, "candidate");
        string? endpointId = endpointName == participant.ConnectionId
            ? participant.Stream?.StreamId
            : participant.Subscriptions.Keys.FirstOrDefault(s => s.EndsWith(endpointName, StringComparison.Ordinal)) is { } streamId
                ? $"{participant.ConnectionId}_{streamId}"
                : null;
        if (endpointId is not null)
        {
            await CallMediaAsync(async () =>
            {
                await media.AddIceCandidateAsync(endpointId, candidate, RpcParams.OptionalString(request, "sdpMid"),
                    RpcParams.OptionalInt32(request, "sdpMLineIndex"), CancellationToken.None);
                return "";
            });
        }

        // Candidates for an endpoint not made yet are not needed: the server is ICE-lite and learns the browser's
        // addresses from its connectivity checks.
        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    /// <summary>The value is relayed as the JSON text of what was sent (openvidu-protocol.md §2.2).</summary>
    private byte[] StreamPropertyChanged(RpcSession rpc, SignalingSession session, SessionConnection publisher, JsonRpcRequest request)
    {
        string streamId = RpcParams.RequiredString(request, "streamId");
        string property = RpcParams.RequiredString(request, "property");
        string reason = RpcParams.OptionalString(request, "reason") ?? "";
        JsonNode newValue = request.Params["newValue"] ?? throw new RpcException(RpcErrorCodes.InvalidParams,
            "Request element 'newValue' is missing in RPC method 'streamPropertyChanged'");
        string newValueJson = newValue.ToJsonString(RelayedJson);
        if (!session.ChangeStreamProperty(publisher, streamId, property, newValueJson, reason))
        {
            throw new RpcException(RpcErrorCodes.UserNotStreaming, $"Stream {streamId} is not published by {publisher.ConnectionId}");
        }

        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    /// <summary>
    /// A broken peer connection made anew: the publisher's own stream (<c>sdpString</c> is a new offer; same
    /// streamId, nobody else told), or a subscription (<c>sdpOffer</c>: client-offer flow; <c>sdpString</c>: the
    /// answer to a server offer made by <c>prepareReceiveVideoFrom{reconnect:true}</c>).
    /// </summary>
    private async ValueTask<byte[]?> ReconnectStreamAsync(RpcSession rpc, SignalingSession session, SessionConnection participant, JsonRpcRequest request)
    {
        string streamId = RpcParams.RequiredString(request, "stream");
        if (participant.Stream is { } own && own.StreamId == streamId)
        {
            string offer = RpcParams.RequiredString(request, "sdpString");
            media.Release(streamId);
            string answer = await CallMediaAsync(() => media.PublishAsync(
                new MediaPublication(session.SessionId, participant.ConnectionId, streamId, own.HasAudio, own.HasVideo,
                    session.Properties.ForcedVideoCodec), offer, CancellationToken.None));
            return JsonRpcFrames.Result(request.Id, rpc.Id, json =>
            {
                json.WriteString("sdpAnswer", answer);
                json.WriteString("id", streamId);
                json.WriteNumber("createdAt", own.CreatedAt);
            });
        }

        (SessionConnection _, PublishedStream stream) = StreamToSubscribe(session, streamId);
        var subscription = new MediaSubscription(session.SessionId, participant.ConnectionId, stream.StreamId, stream.HasAudio, stream.HasVideo);
        if (RpcParams.OptionalString(request, "sdpOffer") is { } subscriberOffer)
        {
            media.Release(subscription.EndpointId);
            string answer = await CallMediaAsync(() => media.SubscribeAsync(subscription, subscriberOffer, CancellationToken.None));
            Subscribed(session, participant, stream, subscription);
            return JsonRpcFrames.Result(request.Id, rpc.Id, json => json.WriteString("sdpAnswer", answer));
        }

        string subscriberAnswer = RpcParams.RequiredString(request, "sdpString");
        await CallMediaAsync(async () =>
        {
            await media.AcceptSubscriptionAnswerAsync(subscription, subscriberAnswer, CancellationToken.None);
            return "";
        });
        Subscribed(session, participant, stream, subscription);
        return JsonRpcFrames.Result(request.Id, rpc.Id);
    }

    /// <summary>Runs a media call, turning its failures into the JSON-RPC error OpenVidu would send.</summary>
    private static async ValueTask<string> CallMediaAsync(Func<ValueTask<string>> call)
    {
        try
        {
            return await call();
        }
        catch (MediaServerException e)
        {
            throw new RpcException(e.Code, e.Message);
        }
    }
}
