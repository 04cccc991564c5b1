using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

/// <summary>joinRoom, ping and the rules before joining, over a real WebSocket (openvidu-protocol.md §1.2-1.6).</summary>
public sealed class JoinRoomTests : IAsyncLifetime
{
    private SignalingHost _host = null!;

    public async Task InitializeAsync() => _host = await SignalingHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Ping_is_answered_pong_before_joining_without_a_session_id()
    {
        await using RpcTestClient client = await _host.OpenSocketAsync();
        JsonObject answer = await client.CallAsync("ping", new JsonObject { ["interval"] = 5000 });
        Assert.Equal("""{"jsonrpc":"2.0","id":0,"result":{"value":"pong"}}""", answer.ToJsonString());
        Assert.Equal("pong", (await client.CallResultAsync("ping"))["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sendMessage")]
    [InlineData("leaveRoom")]
    [InlineData("publishVideo")]
    [InlineData("forceDisconnect")]
    public async Task Session_methods_before_joinRoom_are_transport_errors(string method)
    {
        await using RpcTestClient client = await _host.OpenSocketAsync();
        JsonObject error = await client.CallErrorAsync(method, []);
        Assert.Equal(RpcErrorCodes.TransportError, error["code"]!.GetValue<int>());
        Assert.NotNull(error["data"]!["sessionId"]);
    }

    [Fact]
    public async Task The_join_result_has_what_openvidu_browser_reads_and_role_only_for_the_joiner()
    {
        string sessionId = await _host.CreateSessionAsync();
        (string firstId, string firstToken) = await _host.CreateConnectionAsync(sessionId, "MODERATOR", "server-data");
        await using RpcTestClient first = await _host.OpenSocketAsync();
        JsonObject joined = await first.CallResultAsync("joinRoom", new JsonObject
        {
            ["token"] = firstToken, ["session"] = sessionId, ["platform"] = "Chrome 156 on Linux", ["sdkVersion"] = "2.32.2",
            ["metadata"] = "{\"clientData\":\"Alice\"}", ["secret"] = "", ["recorder"] = false, ["stt"] = false,
        });

        Assert.Equal(firstId, joined["id"]!.GetValue<string>());
        Assert.Equal(sessionId, joined["session"]!.GetValue<string>());
        Assert.Equal("2.32.2", joined["version"]!.GetValue<string>());
        Assert.Equal("MODERATOR", joined["role"]!.GetValue<string>());
        Assert.Equal("{\"clientData\":\"Alice\"}%/%server-data", joined["metadata"]!.GetValue<string>());
        Assert.Equal(_host.Time.GetUtcNow().ToUnixTimeMilliseconds(), joined["createdAt"]!.GetValue<long>());
        Assert.Equal(16, joined["finalUserId"]!.GetValue<string>().Length);
        Assert.Equal("mediasoup", joined["mediaServer"]!.GetValue<string>()); // server offers to subscribers; simulcast
        Assert.True(joined["videoSimulcast"]!.GetValue<bool>());
        Assert.True(joined["record"]!.GetValue<bool>());
        Assert.Empty(joined["value"]!.AsArray());
        Assert.IsType<JsonArray>(joined["customIceServers"]);
        Assert.Null(joined["life"]);
        string rpcSessionId = joined["sessionId"]!.GetValue<string>();
        Assert.True(rpcSessionId.Length >= 26);

        Participant second = await _host.JoinAsync(sessionId, clientData: "Bob");
        await using RpcTestClient secondClient = second.Client;
        JsonObject other = Assert.Single(second.JoinResult["value"]!.AsArray())!.AsObject();
        Assert.Equal(firstId, other["id"]!.GetValue<string>());
        Assert.Equal("{\"clientData\":\"Alice\"}%/%server-data", other["metadata"]!.GetValue<string>());
        Assert.Null(other["role"]); // a role would make openvidu-browser take it for its own connection
        Assert.NotEqual(rpcSessionId, second.RpcSessionId);

        JsonObject notice = await first.NotificationAsync("participantJoined");
        Assert.Equal(second.ConnectionId, notice["id"]!.GetValue<string>());
        Assert.Equal("Bob", notice["metadata"]!.GetValue<string>());
        Assert.Null(notice["role"]);

        // The REST API now shows both active, with what the clients told.
        JsonObject rest = (await _host.Rest.GetFromJsonAsync<JsonObject>($"/openvidu/api/sessions/{sessionId}/connection/{firstId}"))!;
        Assert.Equal("active", rest["status"]!.GetValue<string>());
        Assert.Equal("Chrome 156 on Linux", rest["platform"]!.GetValue<string>());
        Assert.Equal("{\"clientData\":\"Alice\"}", rest["clientData"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_connection_given_custom_ice_servers_hands_them_to_its_client()
    {
        string sessionId = await _host.CreateSessionAsync();
        HttpResponseMessage created = await _host.Rest.PostAsJsonAsync($"/openvidu/api/sessions/{sessionId}/connection",
            new { customIceServers = new[] { new { url = "turn:turn.example.com:3478", username = "u", credential = "c" } } });
        string token = (await created.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        await using RpcTestClient client = await _host.OpenSocketAsync();
        JsonObject joined = await client.CallResultAsync("joinRoom", new JsonObject { ["token"] = token, ["session"] = sessionId });
        Assert.Equal("""[{"url":"turn:turn.example.com:3478","username":"u","credential":"c"}]""", joined["customIceServers"]!.ToJsonString());
    }

    [Fact]
    public async Task Tokens_are_single_use_and_bound_to_their_session()
    {
        string sessionId = await _host.CreateSessionAsync();
        string otherSession = await _host.CreateSessionAsync();
        (_, string token) = await _host.CreateConnectionAsync(sessionId);
        await using RpcTestClient wrongSession = await _host.OpenSocketAsync();
        JsonObject error = await wrongSession.CallErrorAsync("joinRoom", new JsonObject { ["token"] = token, ["session"] = otherSession });
        Assert.Equal(RpcErrorCodes.UserUnauthorized, error["code"]!.GetValue<int>());

        await using RpcTestClient first = await _host.OpenSocketAsync();
        await first.CallResultAsync("joinRoom", new JsonObject { ["token"] = token, ["session"] = sessionId });
        Assert.Equal(RpcErrorCodes.ExistingUserInRoom,
            (await first.CallErrorAsync("joinRoom", new JsonObject { ["token"] = token, ["session"] = sessionId }))["code"]!.GetValue<int>());

        await using RpcTestClient reuse = await _host.OpenSocketAsync();
        error = await reuse.CallErrorAsync("joinRoom", new JsonObject { ["token"] = token, ["session"] = sessionId });
        Assert.Equal(RpcErrorCodes.UserUnauthorized, error["code"]!.GetValue<int>());
        Assert.Contains("not valid", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Joining_an_unknown_session_or_with_a_forged_token_fails_with_openvidu_codes()
    {
        string sessionId = await _host.CreateSessionAsync();
        await _host.CreateConnectionAsync(sessionId);
        await using RpcTestClient client = await _host.OpenSocketAsync();
        JsonObject unknown = await client.CallErrorAsync("joinRoom", new JsonObject { ["token"] = "ws://h?sessionId=nope&token=tok_X", ["session"] = "nope" });
        Assert.Equal(RpcErrorCodes.RoomNotFound, unknown["code"]!.GetValue<int>());
        JsonObject forged = await client.CallErrorAsync("joinRoom",
            new JsonObject { ["token"] = $"ws://h?sessionId={sessionId}&token=tok_AAAAAAAAAAAAAAA", ["session"] = sessionId });
        Assert.Equal(RpcErrorCodes.UserUnauthorized, forged["code"]!.GetValue<int>());
        JsonObject missing = await client.CallErrorAsync("joinRoom", new JsonObject { ["session"] = sessionId });
        Assert.Equal(RpcErrorCodes.InvalidParams, missing["code"]!.GetValue<int>());
        Assert.Contains("'token'", missing["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Media_methods_answer_a_clear_error_until_the_media_server_exists_and_roles_are_checked_first()
    {
        string sessionId = await _host.CreateSessionAsync();
        Participant subscriber = await _host.JoinAsync(sessionId, "SUBSCRIBER");
        Participant publisher = await _host.JoinAsync(sessionId, "PUBLISHER");
        await using RpcTestClient s = subscriber.Client, p = publisher.Client;
        var publish = new JsonObject { ["sdpOffer"] = "v=0", ["hasAudio"] = true, ["hasVideo"] = true, ["doLoopback"] = false };
        Assert.Equal(RpcErrorCodes.UserUnauthorized, (await s.CallErrorAsync("publishVideo", publish.DeepClone().AsObject()))["code"]!.GetValue<int>());
        JsonObject error = await p.CallErrorAsync("publishVideo", publish);
        Assert.Equal(RpcErrorCodes.MediaGeneric, error["code"]!.GetValue<int>());
        Assert.Contains("media server", error["message"]!.GetValue<string>());
        Assert.Equal(RpcErrorCodes.FilterNotApplied, (await p.CallErrorAsync("applyFilter", []))["code"]!.GetValue<int>());
        Assert.Equal(RpcErrorCodes.WrongOpenViduEdition, (await p.CallErrorAsync("subscribeToSpeechToText", []))["code"]!.GetValue<int>());
        Assert.Equal(RpcErrorCodes.MethodNotFound, (await p.CallErrorAsync("noSuchMethod", []))["code"]!.GetValue<int>());
        Assert.Equal("{}", RemoveSessionId(await p.CallResultAsync("echo")));
        Assert.Equal("{}", RemoveSessionId(await p.CallResultAsync("videoData", new JsonObject { ["width"] = 640, ["height"] = 480 })));
    }

    [Fact]
    public async Task A_plain_http_request_to_the_socket_path_gets_a_json_400()
    {
        HttpResponseMessage response = await _host.Rest.GetAsync("/openvidu");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, (await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<int>());
    }

    private static string RemoveSessionId(JsonObject result)
    {
        result.Remove("sessionId");
        return result.ToJsonString();
    }
}
