using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Signaling.Media;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

/// <summary>Publishing and subscribing as openvidu-browser drives them (openvidu-protocol.md §1.5-1.6, §2, §4.6):
/// streams, their notifications and what signalling asks of the media server.</summary>
public sealed class MediaFlowTests : IAsyncLifetime
{
    private readonly FakeMediaServer _media = new();
    private SignalingHost _host = null!;
    private string _sessionId = null!;

    public async Task InitializeAsync()
    {
        _host = await SignalingHost.StartAsync(media: _media);
        _sessionId = await _host.CreateSessionAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static JsonObject PublishParams(string offer = "v=0 offer") => new()
    {
        ["doLoopback"] = false, ["hasAudio"] = true, ["hasVideo"] = true, ["audioActive"] = true, ["videoActive"] = true,
        ["typeOfVideo"] = "CAMERA", ["frameRate"] = 30, ["videoDimensions"] = "{\"width\":640,\"height\":480}", ["sdpOffer"] = offer,
    };

    private async Task<string> PublishAsync(Participant p)
    {
        JsonObject result = await p.Client.CallResultAsync("publishVideo", PublishParams());
        return result["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task Publishing_answers_with_the_media_servers_sdp_and_announces_the_stream_to_the_others()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        JsonObject result = await ac.CallResultAsync("publishVideo", PublishParams());
        string streamId = result["id"]!.GetValue<string>();
        Assert.Matches($"^str_CAM_[A-Z][A-Za-z0-9]{{3}}_{a.ConnectionId}$", streamId);
        Assert.Equal($"answer-for-{streamId}", result["sdpAnswer"]!.GetValue<string>());
        Assert.Contains($"publish {streamId} audio=True video=True offer=v=0 offer", _media.Calls);

        JsonObject published = await bc.NotificationAsync("participantPublished");
        Assert.Equal(a.ConnectionId, published["id"]!.GetValue<string>());
        JsonObject stream = Assert.Single(published["streams"]!.AsArray())!.AsObject();
        Assert.Equal(streamId, stream["id"]!.GetValue<string>());
        Assert.Equal("CAMERA", stream["typeOfVideo"]!.GetValue<string>());
        Assert.Equal("{\"width\":640,\"height\":480}", stream["videoDimensions"]!.GetValue<string>()); // a JSON string
        Assert.Equal(30, stream["frameRate"]!.GetValue<double>());
        Assert.Equal("{}", stream["filter"]!.ToJsonString());
        Assert.Empty(ac.Notifications("participantPublished"));

        // A later joiner finds the stream in joinRoom's value; REST shows the publisher.
        Participant c = await _host.JoinAsync(_sessionId);
        await using RpcTestClient cc = c.Client;
        JsonObject existing = c.JoinResult["value"]!.AsArray().Single(v => v!["id"]!.GetValue<string>() == a.ConnectionId)!.AsObject();
        Assert.Equal(streamId, existing["streams"]![0]!["id"]!.GetValue<string>());
        JsonObject rest = (await _host.Rest.GetFromJsonAsync<JsonObject>($"/openvidu/api/sessions/{_sessionId}/connection/{a.ConnectionId}"))!;
        JsonObject publisher = rest["publishers"]![0]!.AsObject();
        Assert.Equal(streamId, publisher["streamId"]!.GetValue<string>());
        Assert.True(publisher["mediaOptions"]!["videoActive"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Publishing_twice_without_the_role_or_without_an_offer_fails_with_openvidu_codes()
    {
        Participant a = await _host.JoinAsync(_sessionId), s = await _host.JoinAsync(_sessionId, "SUBSCRIBER");
        await using RpcTestClient ac = a.Client, sc = s.Client;
        await PublishAsync(a);
        Assert.Equal(RpcErrorCodes.UserAlreadyStreaming, (await ac.CallErrorAsync("publishVideo", PublishParams()))["code"]!.GetValue<int>());
        Assert.Equal(RpcErrorCodes.UserUnauthorized, (await sc.CallErrorAsync("publishVideo", PublishParams()))["code"]!.GetValue<int>());
        JsonObject missing = PublishParams();
        missing.Remove("sdpOffer");
        Participant b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient bc = b.Client;
        Assert.Equal(RpcErrorCodes.InvalidParams, (await bc.CallErrorAsync("publishVideo", missing))["code"]!.GetValue<int>());
        _media.NextFailure = MediaServerException.Sdp("no common codec");
        JsonObject failed = await bc.CallErrorAsync("publishVideo", PublishParams());
        Assert.Equal(RpcErrorCodes.MediaSdp, failed["code"]!.GetValue<int>());
        Assert.Equal("no common codec", failed["message"]!.GetValue<string>());
        await ac.CallResultAsync("echo");
        Assert.Empty(ac.Notifications("participantPublished")); // the failed publishes announced nothing
    }

    [Fact]
    public async Task Subscribing_in_both_negotiation_flows_and_unsubscribing()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId, "SUBSCRIBER");
        await using RpcTestClient ac = a.Client, bc = b.Client;
        string streamId = await PublishAsync(a);
        string endpoint = $"{b.ConnectionId}_{streamId}";

        // Client offers (OpenVidu CE's flow).
        JsonObject answered = await bc.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = streamId, ["sdpOffer"] = "recv offer" });
        Assert.Equal($"answer-for-{endpoint}", answered["sdpAnswer"]!.GetValue<string>());
        Assert.Contains($"subscribe {endpoint} offer=recv offer", _media.Calls);
        JsonObject rest = (await _host.Rest.GetFromJsonAsync<JsonObject>($"/openvidu/api/sessions/{_sessionId}/connection/{b.ConnectionId}"))!;
        Assert.Equal(streamId, rest["subscribers"]![0]!["streamId"]!.GetValue<string>());

        // The candidate names the remote publisher's connection for a subscriber connection.
        await bc.CallResultAsync("onIceCandidate", new JsonObject { ["endpointName"] = a.ConnectionId, ["candidate"] = "candidate:1 1 udp 1 10.0.0.1 5000 typ host", ["sdpMid"] = "0", ["sdpMLineIndex"] = 0 });
        Assert.Contains($"candidate {endpoint} candidate:1 1 udp 1 10.0.0.1 5000 typ host", _media.Calls);

        // unsubscribeFromVideo names the publisher's connectionId, not the stream.
        await bc.CallResultAsync("unsubscribeFromVideo", new JsonObject { ["sender"] = a.ConnectionId });
        Assert.Contains($"release {endpoint}", _media.Calls);
        Assert.Equal(RpcErrorCodes.UserNotFound,
            (await bc.CallErrorAsync("unsubscribeFromVideo", new JsonObject { ["sender"] = a.ConnectionId }))["code"]!.GetValue<int>());

        // Server offers (the mediasoup flow).
        JsonObject offered = await bc.CallResultAsync("prepareReceiveVideoFrom", new JsonObject { ["sender"] = streamId, ["reconnect"] = false });
        Assert.Equal($"offer-for-{endpoint}", offered["sdpOffer"]!.GetValue<string>());
        await bc.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = streamId, ["sdpAnswer"] = "recv answer" });
        Assert.Contains($"accept {endpoint} answer=recv answer", _media.Calls);
    }

    [Fact]
    public async Task Subscribing_to_a_stream_that_does_not_exist_names_the_fault()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        JsonObject notStreaming = await bc.CallErrorAsync("receiveVideoFrom", new JsonObject { ["sender"] = $"str_CAM_Abcd_{a.ConnectionId}", ["sdpOffer"] = "x" });
        Assert.Equal(RpcErrorCodes.UserNotStreaming, notStreaming["code"]!.GetValue<int>());
        JsonObject unknown = await bc.CallErrorAsync("receiveVideoFrom", new JsonObject { ["sender"] = "str_CAM_Abcd_con_Nobody1234", ["sdpOffer"] = "x" });
        Assert.Equal(RpcErrorCodes.UserNotFound, unknown["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_property_changes_are_relayed_as_json_text_and_remembered_for_later_joiners()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        string streamId = await PublishAsync(a);
        await ac.CallResultAsync("streamPropertyChanged", new JsonObject { ["streamId"] = streamId, ["property"] = "videoActive", ["newValue"] = false, ["reason"] = "publishVideo" });
        await ac.CallResultAsync("streamPropertyChanged", new JsonObject { ["streamId"] = streamId, ["property"] = "videoDimensions", ["newValue"] = "{\"width\":1280,\"height\":720}", ["reason"] = "screenResized" });
        JsonObject video = await bc.NotificationAsync("streamPropertyChanged", p => p["property"]!.GetValue<string>() == "videoActive");
        Assert.Equal("false", video["newValue"]!.GetValue<string>());
        Assert.Equal("publishVideo", video["reason"]!.GetValue<string>());
        Assert.Equal(a.ConnectionId, video["connectionId"]!.GetValue<string>());
        JsonObject dimensions = await bc.NotificationAsync("streamPropertyChanged", p => p["property"]!.GetValue<string>() == "videoDimensions");
        Assert.Equal("\"{\\\"width\\\":1280,\\\"height\\\":720}\"", dimensions["newValue"]!.GetValue<string>()); // double-encoded, as the browser decodes it
        Assert.Empty(ac.Notifications("streamPropertyChanged"));

        Participant c = await _host.JoinAsync(_sessionId);
        await using RpcTestClient cc = c.Client;
        JsonObject stream = c.JoinResult["value"]!.AsArray().Single(v => v!["id"]!.GetValue<string>() == a.ConnectionId)!["streams"]![0]!.AsObject();
        Assert.False(stream["videoActive"]!.GetValue<bool>());
        Assert.Equal("{\"width\":1280,\"height\":720}", stream["videoDimensions"]!.GetValue<string>());
        Assert.Equal(RpcErrorCodes.UserNotStreaming, (await bc.CallErrorAsync("streamPropertyChanged",
            new JsonObject { ["streamId"] = streamId, ["property"] = "audioActive", ["newValue"] = true }))["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Unpublishing_tells_the_others_and_frees_the_stream_and_its_subscriptions()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        string streamId = await PublishAsync(a);
        await bc.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = streamId, ["sdpOffer"] = "o" });
        await ac.CallResultAsync("unpublishVideo", []);
        JsonObject unpublished = await bc.NotificationAsync("participantUnpublished");
        Assert.Equal(a.ConnectionId, unpublished["connectionId"]!.GetValue<string>());
        Assert.Equal("unpublish", unpublished["reason"]!.GetValue<string>());
        Assert.Contains($"release {streamId}", _media.Calls);
        Assert.Contains($"release {b.ConnectionId}_{streamId}", _media.Calls);
        Assert.Empty(ac.Notifications("participantUnpublished"));
        Assert.Equal(RpcErrorCodes.UserNotStreaming, (await ac.CallErrorAsync("unpublishVideo", []))["code"]!.GetValue<int>());

        // Publishing again is allowed after unpublishing.
        Assert.NotEqual(streamId, await PublishAsync(a));
    }

    [Fact]
    public async Task Forced_unpublishing_by_a_moderator_or_the_rest_api_also_tells_the_owner()
    {
        Participant moderator = await _host.JoinAsync(_sessionId, "MODERATOR"), a = await _host.JoinAsync(_sessionId);
        await using RpcTestClient mc = moderator.Client, ac = a.Client;
        string streamId = await PublishAsync(a);
        Assert.Equal(RpcErrorCodes.UserUnauthorized, (await ac.CallErrorAsync("forceUnpublish", new JsonObject { ["streamId"] = streamId }))["code"]!.GetValue<int>());
        await mc.CallResultAsync("forceUnpublish", new JsonObject { ["streamId"] = streamId });
        Assert.Equal("forceUnpublishByUser", (await ac.NotificationAsync("participantUnpublished"))["reason"]!.GetValue<string>());
        Assert.Equal("forceUnpublishByUser", (await mc.NotificationAsync("participantUnpublished"))["reason"]!.GetValue<string>());

        string again = await PublishAsync(a);
        Assert.Equal(HttpStatusCode.NoContent, (await _host.Rest.DeleteAsync($"/openvidu/api/sessions/{_sessionId}/stream/{again}")).StatusCode);
        Assert.Equal("forceUnpublishByServer", (await ac.NotificationAsync("participantUnpublished", p => p["reason"]!.GetValue<string>() != "forceUnpublishByUser"))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Rest.DeleteAsync($"/openvidu/api/sessions/{_sessionId}/stream/{again}")).StatusCode);
    }

    [Fact]
    public async Task A_publisher_that_leaves_produces_only_participant_left_and_its_media_is_freed()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        string aStream = await PublishAsync(a);
        string bStream = await PublishAsync(b);
        await bc.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = aStream, ["sdpOffer"] = "o" });
        await ac.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = bStream, ["sdpOffer"] = "o" });
        await ac.CallResultAsync("leaveRoom", []);
        Assert.Equal("disconnect", (await bc.NotificationAsync("participantLeft"))["reason"]!.GetValue<string>());
        Assert.Empty(bc.Notifications("participantUnpublished"));
        Assert.Contains($"release {aStream}", _media.Calls);
        Assert.Contains($"release {b.ConnectionId}_{aStream}", _media.Calls);
        Assert.Contains($"release {a.ConnectionId}_{bStream}", _media.Calls);
        JsonObject rest = (await _host.Rest.GetFromJsonAsync<JsonObject>($"/openvidu/api/sessions/{_sessionId}/connection/{b.ConnectionId}"))!;
        Assert.Empty(rest["subscribers"]!.AsArray());
    }

    [Fact]
    public async Task A_publisher_stream_whose_peer_the_media_server_lost_is_unpublished_for_everyone_with_network_disconnect()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        string streamId = await PublishAsync(a);
        await bc.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = streamId, ["sdpOffer"] = "o" });
        _media.Lose(_sessionId, $"{b.ConnectionId}_{streamId}"); // a lost subscription is only forgotten
        await bc.CallResultAsync("echo");
        Assert.Empty(bc.Notifications("participantUnpublished"));

        _media.Lose(_sessionId, streamId);
        Assert.Equal("networkDisconnect", (await bc.NotificationAsync("participantUnpublished"))["reason"]!.GetValue<string>());
        Assert.Equal("networkDisconnect", (await ac.NotificationAsync("participantUnpublished"))["reason"]!.GetValue<string>());
        Assert.NotEqual(streamId, await PublishAsync(a)); // the app may publish again
    }

    [Fact]
    public async Task A_publisher_reconnecting_its_stream_keeps_the_stream_id_and_nobody_is_told()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        string streamId = await PublishAsync(a);
        JsonObject result = await ac.CallResultAsync("reconnectStream", new JsonObject { ["stream"] = streamId, ["sdpString"] = "new offer" });
        Assert.Equal(streamId, result["id"]!.GetValue<string>());
        Assert.Contains($"publish {streamId} audio=True video=True offer=new offer", _media.Calls);
        JsonObject resubscribed = await bc.CallResultAsync("reconnectStream", new JsonObject { ["stream"] = streamId, ["sdpOffer"] = "sub offer", ["forciblyReconnect"] = false });
        Assert.Equal($"answer-for-{b.ConnectionId}_{streamId}", resubscribed["sdpAnswer"]!.GetValue<string>());
        Assert.Single(bc.Notifications("participantPublished"));
    }
}
