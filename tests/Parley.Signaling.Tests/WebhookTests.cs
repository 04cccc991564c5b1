using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Parley.Signaling.Tests;

/// <summary>Session events posted to the webhook, in order, with OpenVidu's fields (openvidu-protocol.md §6).</summary>
public sealed class WebhookTests() : WebhookHostTests(o =>
{
    o.WebhookHeaders = ["Authorization: Basic dGVzdDp0ZXN0"];
})
{
    [Fact]
    public async Task A_session_lifetime_is_posted_event_by_event_in_order()
    {
        string sessionId = await Host.CreateSessionAsync();
        long created = Host.Time.GetUtcNow().ToUnixTimeMilliseconds();
        (JsonObject sessionCreated, var headers) = await Receiver.NextAsync();
        Assert.Equal("sessionCreated", sessionCreated["event"]!.GetValue<string>());
        Assert.Equal(sessionId, sessionCreated["sessionId"]!.GetValue<string>());
        Assert.Equal($"{sessionId}_{created}", sessionCreated["uniqueSessionId"]!.GetValue<string>());
        Assert.Equal(created, sessionCreated["timestamp"]!.GetValue<long>());
        Assert.Equal("Basic dGVzdDp0ZXN0", headers.Authorization.ToString());
        Assert.StartsWith("application/json", headers.ContentType.ToString());

        Participant a = await Host.JoinAsync(sessionId, clientData: "Alice");
        await using RpcTestClient ac = a.Client;
        JsonObject joined = (await Receiver.NextAsync()).Body;
        Assert.Equal("participantJoined", joined["event"]!.GetValue<string>());
        Assert.Equal(a.ConnectionId, joined["connectionId"]!.GetValue<string>());
        Assert.Equal(a.ConnectionId, joined["participantId"]!.GetValue<string>());
        Assert.Equal("Alice", joined["clientData"]!.GetValue<string>());
        Assert.Equal("test", joined["platform"]!.GetValue<string>());

        await ac.CallResultAsync("sendMessage", new JsonObject { ["message"] = """{"to":[],"data":"hi","type":"signal:chat"}""" });
        JsonObject signal = (await Receiver.NextAsync()).Body;
        Assert.Equal("signalSent", signal["event"]!.GetValue<string>());
        Assert.Equal(a.ConnectionId, signal["from"]!.GetValue<string>());
        Assert.Equal($"[\"{a.ConnectionId}\"]", signal["to"]!.ToJsonString());
        Assert.Equal("signal:chat", signal["type"]!.GetValue<string>());
        Assert.Equal("hi", signal["data"]!.GetValue<string>());

        Host.Advance(TimeSpan.FromSeconds(7.5));
        await ac.CallResultAsync("leaveRoom", []);
        JsonObject left = (await Receiver.NextAsync()).Body;
        Assert.Equal("participantLeft", left["event"]!.GetValue<string>());
        Assert.Equal("disconnect", left["reason"]!.GetValue<string>());
        Assert.Equal(7, left["duration"]!.GetValue<int>());
        Assert.Equal(joined["timestamp"]!.GetValue<long>(), left["startTime"]!.GetValue<long>());

        JsonObject destroyed = (await Receiver.NextAsync()).Body;
        Assert.Equal("sessionDestroyed", destroyed["event"]!.GetValue<string>());
        Assert.Equal("lastParticipantLeft", destroyed["reason"]!.GetValue<string>());
        Assert.Equal(created, destroyed["startTime"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_rest_signal_is_posted_without_a_sender()
    {
        string sessionId = await Host.CreateSessionAsync();
        Participant a = await Host.JoinAsync(sessionId);
        await using RpcTestClient ac = a.Client;
        (await Host.Rest.PostAsJsonAsync("/openvidu/api/signal", new { session = sessionId, type = "signal:news", data = "x" })).EnsureSuccessStatusCode();
        JsonObject signal;
        do
        {
            signal = (await Receiver.NextAsync()).Body;
        }
        while (signal["event"]!.GetValue<string>() != "signalSent");

        Assert.Null(signal["from"]);
        Assert.True(signal.ContainsKey("from"));
    }
}

/// <summary>Only the configured events are posted; a receiver answering 500 gets each event once.</summary>
public sealed class WebhookFilterTests() : WebhookHostTests(o =>
{
    o.WebhookEvents = ["sessionDestroyed"];
})
{
    [Fact]
    public async Task Events_not_listed_are_not_posted()
    {
        Receiver.FailuresLeft = 1;
        string first = await Host.CreateSessionAsync();
        string second = await Host.CreateSessionAsync();
        Assert.True((await Host.Rest.DeleteAsync($"/openvidu/api/sessions/{first}")).IsSuccessStatusCode);
        Assert.True((await Host.Rest.DeleteAsync($"/openvidu/api/sessions/{second}")).IsSuccessStatusCode);
        JsonObject one = (await Receiver.NextAsync()).Body, two = (await Receiver.NextAsync()).Body;
        Assert.Equal(first, one["sessionId"]!.GetValue<string>());
        Assert.Equal(second, two["sessionId"]!.GetValue<string>());
        Assert.All((JsonObject[])[one, two], e => Assert.Equal("sessionClosedByServer", e["reason"]!.GetValue<string>()));
        Assert.False(Receiver.TryNext(out _));
    }
}

/// <summary>The media events of the webhook: webrtcConnectionCreated/Destroyed for publishing and subscribing.</summary>
public sealed class WebhookMediaTests() : WebhookHostTests(o =>
{
    o.WebhookEvents = ["webrtcConnectionCreated", "webrtcConnectionDestroyed"];
}, new FakeMediaServer())
{
    [Fact]
    public async Task Publishing_subscribing_unsubscribing_and_leaving_are_posted_with_directions_and_reasons()
    {
        string sessionId = await Host.CreateSessionAsync();
        Participant a = await Host.JoinAsync(sessionId), b = await Host.JoinAsync(sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        string streamId = (await ac.CallResultAsync("publishVideo", new JsonObject
        {
            ["doLoopback"] = false, ["hasAudio"] = true, ["hasVideo"] = true, ["typeOfVideo"] = "SCREEN", ["frameRate"] = 30,
            ["videoDimensions"] = "{\"width\":1280,\"height\":720}", ["sdpOffer"] = "o",
        }))["id"]!.GetValue<string>();
        JsonObject published = (await Receiver.NextAsync()).Body;
        Assert.Equal(("webrtcConnectionCreated", "OUTBOUND", a.ConnectionId, streamId),
            (published["event"]!.GetValue<string>(), published["connection"]!.GetValue<string>(), published["connectionId"]!.GetValue<string>(), published["streamId"]!.GetValue<string>()));
        Assert.Equal("SCREEN", published["videoSource"]!.GetValue<string>());
        Assert.Equal("{\"width\":1280,\"height\":720}", published["videoDimensions"]!.GetValue<string>());
        Assert.True(published["audioEnabled"]!.GetValue<bool>());
        Assert.Null(published["receivingFrom"]);

        await bc.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = streamId, ["sdpOffer"] = "o" });
        JsonObject subscribed = (await Receiver.NextAsync()).Body;
        Assert.Equal(("INBOUND", b.ConnectionId, a.ConnectionId),
            (subscribed["connection"]!.GetValue<string>(), subscribed["connectionId"]!.GetValue<string>(), subscribed["receivingFrom"]!.GetValue<string>()));

        Host.Advance(TimeSpan.FromSeconds(3));
        await bc.CallResultAsync("unsubscribeFromVideo", new JsonObject { ["sender"] = a.ConnectionId });
        JsonObject unsubscribed = (await Receiver.NextAsync()).Body;
        Assert.Equal(("webrtcConnectionDestroyed", "INBOUND", "unsubscribe", 3),
            (unsubscribed["event"]!.GetValue<string>(), unsubscribed["connection"]!.GetValue<string>(), unsubscribed["reason"]!.GetValue<string>(), unsubscribed["duration"]!.GetValue<int>()));

        await bc.CallResultAsync("receiveVideoFrom", new JsonObject { ["sender"] = streamId, ["sdpOffer"] = "o" });
        Assert.Equal("INBOUND", (await Receiver.NextAsync()).Body["connection"]!.GetValue<string>());
        await ac.CallResultAsync("leaveRoom", []);
        JsonObject[] ended = [(await Receiver.NextAsync()).Body, (await Receiver.NextAsync()).Body];
        Assert.Equal(["INBOUND", "OUTBOUND"], ended.Select(e => e["connection"]!.GetValue<string>()));
        Assert.All(ended, e => Assert.Equal("disconnect", e["reason"]!.GetValue<string>()));
    }
}
