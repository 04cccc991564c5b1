using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

/// <summary>Leaving, eviction, session closing, keep-alive and reconnection (openvidu-protocol.md §1.3, §1.4, §2).</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private SignalingHost _host = null!;
    private string _sessionId = null!;

    public async Task InitializeAsync()
    {
        _host = await SignalingHost.StartAsync();
        _sessionId = await _host.CreateSessionAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpStatusCode> SessionStatusAsync() => (await _host.Rest.GetAsync($"/openvidu/api/sessions/{_sessionId}")).StatusCode;

    [Fact]
    public async Task Leaving_tells_the_others_and_the_last_one_out_closes_the_session()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        (_, string unusedToken) = await _host.CreateConnectionAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        await a.Client.CallResultAsync("leaveRoom", []);
        JsonObject left = await b.Client.NotificationAsync("participantLeft");
        Assert.Equal(a.ConnectionId, left["connectionId"]!.GetValue<string>());
        Assert.Equal("disconnect", left["reason"]!.GetValue<string>());
        Assert.Empty(b.Client.Notifications("participantEvicted"));
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync());

        await b.Client.CallResultAsync("leaveRoom", []);
        Assert.Equal(HttpStatusCode.NotFound, await SessionStatusAsync());
        await using RpcTestClient late = await _host.OpenSocketAsync();
        Assert.Equal(RpcErrorCodes.RoomNotFound,
            (await late.CallErrorAsync("joinRoom", new JsonObject { ["token"] = unusedToken, ["session"] = _sessionId }))["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_socket_closed_on_purpose_leaves_at_once()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient bc = b.Client;
        await a.Client.Socket.CloseOutputAsync((WebSocketCloseStatus)4102, "Connection closed by client", CancellationToken.None);
        JsonObject left = await b.Client.NotificationAsync("participantLeft");
        Assert.Equal("disconnect", left["reason"]!.GetValue<string>());
        await a.Client.DisposeAsync();
    }

    [Theory]
    [InlineData(WebSocketCloseStatus.NormalClosure)] // also what .NET reports for a close frame without a code
    [InlineData(WebSocketCloseStatus.EndpointUnavailable)]
    public async Task Any_other_close_keeps_the_participant_for_the_reconnection_window(WebSocketCloseStatus status)
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient bc = b.Client;
        await a.Client.Socket.CloseOutputAsync(status, null, CancellationToken.None);
        await Task.Delay(200);
        _host.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(bc.Notifications("participantLeft"));
        _host.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("networkDisconnect", (await bc.NotificationAsync("participantLeft"))["reason"]!.GetValue<string>());
        await a.Client.DisposeAsync();
    }

    [Fact]
    public async Task A_moderator_evicts_others_but_a_publisher_may_not()
    {
        Participant moderator = await _host.JoinAsync(_sessionId, "MODERATOR");
        Participant publisher = await _host.JoinAsync(_sessionId, "PUBLISHER");
        Participant victim = await _host.JoinAsync(_sessionId, "SUBSCRIBER");
        await using RpcTestClient m = moderator.Client, p = publisher.Client, v = victim.Client;

        JsonObject denied = await p.CallErrorAsync("forceDisconnect", new JsonObject { ["connectionId"] = victim.ConnectionId });
        Assert.Equal(RpcErrorCodes.UserUnauthorized, denied["code"]!.GetValue<int>());
        Assert.Equal(RpcErrorCodes.UserNotFound,
            (await m.CallErrorAsync("forceDisconnect", new JsonObject { ["connectionId"] = "con_Nobody" }))["code"]!.GetValue<int>());

        await m.CallResultAsync("forceDisconnect", new JsonObject { ["connectionId"] = victim.ConnectionId });
        JsonObject evicted = await v.NotificationAsync("participantEvicted");
        Assert.Equal(victim.ConnectionId, evicted["connectionId"]!.GetValue<string>());
        Assert.Equal("forceDisconnectByUser", evicted["reason"]!.GetValue<string>());
        foreach (RpcTestClient other in (RpcTestClient[])[m, p])
        {
            await other.NotificationAsync("participantEvicted");
            string[] order = [.. other.Seen.Where(f => f["method"] is not null).Select(f => f["method"]!.GetValue<string>())
                .Where(n => n is "participantLeft" or "participantEvicted")];
            Assert.Equal(["participantLeft", "participantEvicted"], order);
        }

        // The evicted client's socket is closed by the server once its grace period is over.
        _host.Advance(TimeSpan.FromSeconds(11));
        await v.WaitClosedAsync();
    }

    [Fact]
    public async Task Rest_deletes_evict_participants_with_server_reasons()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        Assert.Equal(HttpStatusCode.NoContent, (await _host.Rest.DeleteAsync($"/openvidu/api/sessions/{_sessionId}/connection/{a.ConnectionId}")).StatusCode);
        Assert.Equal("forceDisconnectByServer", (await ac.NotificationAsync("participantEvicted"))["reason"]!.GetValue<string>());
        Assert.Equal("forceDisconnectByServer", (await bc.NotificationAsync("participantLeft"))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Rest.DeleteAsync($"/openvidu/api/sessions/{_sessionId}/connection/{a.ConnectionId}")).StatusCode);

        Participant c = await _host.JoinAsync(_sessionId);
        await using RpcTestClient cc = c.Client;
        Assert.Equal(HttpStatusCode.NoContent, (await _host.Rest.DeleteAsync($"/openvidu/api/sessions/{_sessionId}")).StatusCode);
        Assert.Equal("sessionClosedByServer", (await bc.NotificationAsync("participantEvicted", e => e["connectionId"]!.GetValue<string>() == b.ConnectionId))["reason"]!.GetValue<string>());
        Assert.Equal("sessionClosedByServer", (await cc.NotificationAsync("participantEvicted", e => e["connectionId"]!.GetValue<string>() == c.ConnectionId))["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, await SessionStatusAsync());
    }

    [Fact]
    public async Task A_client_that_stops_pinging_loses_its_socket_after_three_intervals_then_is_evicted()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client, bc = b.Client;
        await ac.CallResultAsync("ping", new JsonObject { ["interval"] = 5000 });
        _host.Advance(TimeSpan.FromSeconds(14));
        await bc.CallResultAsync("ping", new JsonObject { ["interval"] = 5000 });
        Assert.Equal(WebSocketState.Open, ac.Socket.State);

        _host.Advance(TimeSpan.FromSeconds(2)); // 16 s since a's last ping > 3 x 5 s
        await ac.WaitClosedAsync();
        await Task.Delay(100); // the server notices its side closing
        Assert.Empty(bc.Notifications("participantLeft")); // still within the reconnection window

        _host.Advance(TimeSpan.FromSeconds(10));
        JsonObject left = await bc.NotificationAsync("participantLeft");
        Assert.Equal(a.ConnectionId, left["connectionId"]!.GetValue<string>());
        Assert.Equal("networkDisconnect", left["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_resumes_its_session_on_a_new_socket_and_gets_what_was_sent_meanwhile()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient bc = b.Client;
        await a.Client.DisposeAsync(); // the network drops: no close handshake
        await Task.Delay(100);
        await bc.CallResultAsync("sendMessage", new JsonObject { ["message"] = """{"to":[],"data":"while away","type":"signal:chat"}""" });
        _host.Advance(TimeSpan.FromSeconds(5));

        await using RpcTestClient again = await _host.OpenSocketAsync();
        await again.CallResultAsync("ping", new JsonObject { ["interval"] = 5000 });
        JsonObject resumed = await again.CallResultAsync("connect", new JsonObject { ["sessionId"] = a.RpcSessionId, ["reconnect"] = true });
        Assert.Equal("reconnection successful", resumed["value"]!.GetValue<string>());
        Assert.Equal(a.RpcSessionId, resumed["sessionId"]!.GetValue<string>());
        Assert.Equal("while away", (await again.NotificationAsync("sendMessage"))["data"]!.GetValue<string>());

        _host.Advance(TimeSpan.FromSeconds(20));
        await again.CallResultAsync("sendMessage", new JsonObject { ["message"] = """{"to":[],"data":"back","type":"signal:chat"}""" });
        await bc.NotificationAsync("sendMessage", s => s["data"]!.GetValue<string>() == "back");
        Assert.Empty(bc.Notifications("participantLeft"));
    }

    [Fact]
    public async Task Resuming_takes_over_a_socket_that_is_still_open()
    {
        Participant a = await _host.JoinAsync(_sessionId);
        await using RpcTestClient old = a.Client;
        await using RpcTestClient again = await _host.OpenSocketAsync();
        await again.CallResultAsync("connect", new JsonObject { ["sessionId"] = a.RpcSessionId, ["reconnect"] = true });
        await old.WaitClosedAsync();
        Assert.Equal("pong", (await again.CallResultAsync("ping"))["value"]!.GetValue<string>());
        await again.CallResultAsync("leaveRoom", []);
    }

    [Fact]
    public async Task Resuming_an_unknown_or_expired_session_is_a_reconnection_error()
    {
        Participant a = await _host.JoinAsync(_sessionId), b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient bc = b.Client;
        await a.Client.DisposeAsync();
        await Task.Delay(100);
        _host.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("networkDisconnect", (await bc.NotificationAsync("participantLeft"))["reason"]!.GetValue<string>());

        await using RpcTestClient again = await _host.OpenSocketAsync();
        foreach (string id in (string[])[a.RpcSessionId, "no-such-session"])
        {
            JsonObject error = await again.CallErrorAsync("connect", new JsonObject { ["sessionId"] = id, ["reconnect"] = true });
            Assert.Equal(RpcErrorCodes.ReconnectionError, error["code"]!.GetValue<int>());
            Assert.Equal("reconnection error", error["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_session_nobody_joins_is_closed_after_the_garbage_threshold()
    {
        _host.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync());
        _host.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.NotFound, await SessionStatusAsync());
    }

    [Fact]
    public async Task Patching_an_active_connection_tells_its_client()
    {
        Participant a = await _host.JoinAsync(_sessionId);
        await using RpcTestClient ac = a.Client;
        HttpResponseMessage patched = await _host.Rest.PatchAsJsonAsync($"/openvidu/api/sessions/{_sessionId}/connection/{a.ConnectionId}",
            new { role = "MODERATOR", record = false });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        JsonObject role = await ac.NotificationAsync("connectionPropertyChanged", p => p["property"]!.GetValue<string>() == "role");
        Assert.Equal("MODERATOR", role["newValue"]!.GetValue<string>());
        JsonObject record = await ac.NotificationAsync("connectionPropertyChanged", p => p["property"]!.GetValue<string>() == "record");
        Assert.Equal("false", record["newValue"]!.GetValue<string>());

        // The new role takes effect at once: the former publisher may now evict.
        Participant b = await _host.JoinAsync(_sessionId);
        await using RpcTestClient bc = b.Client;
        await ac.CallResultAsync("forceDisconnect", new JsonObject { ["connectionId"] = b.ConnectionId });
    }
}
