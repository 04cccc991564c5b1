using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

/// <summary>Bad input on the socket gets JSON-RPC error objects; the socket and the participant survive it.</summary>
public sealed class MalformedFrameTests : IAsyncLifetime
{
    private SignalingHost _host = null!;

    public async Task InitializeAsync() => _host = await SignalingHost.StartAsync(o => o.MaxMessageBytes = 64 * 1024);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static async Task<JsonObject> NextErrorAsync(RpcTestClient client, int already) =>
        await client.WaitForAsync(m => m["error"] is not null && client.Seen.Count(f => f["error"] is not null) > already, "an error answer");

    [Fact]
    public async Task Garbage_binary_and_oversized_frames_get_errors_and_the_socket_stays_usable()
    {
        await using RpcTestClient client = await _host.OpenSocketAsync();
        await client.SendRawAsync("this is not json");
        Assert.Equal(RpcErrorCodes.ParseError, (await client.WaitForAsync(m => m["error"] is not null, "a parse error"))["error"]!["code"]!.GetValue<int>());

        await client.SendRawAsync([1, 2, 3], WebSocketMessageType.Binary);
        await client.SendRawAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":1,\"params\":{\"pad\":\"" + new string('x', 100_000) + "\"}}"),
            WebSocketMessageType.Text);
        await client.SendRawAsync("""{"jsonrpc":"2.0","method":"ping","params":[],"id":7}""");
        JsonObject invalidParams = await client.WaitForAsync(m => m["id"]?.ToJsonString() == "7", "the answer to #7");
        Assert.Equal(RpcErrorCodes.InvalidParams, invalidParams["error"]!["code"]!.GetValue<int>());

        int[] codes = [.. client.Seen.Where(m => m["error"] is not null).Select(m => m["error"]!["code"]!.GetValue<int>())];
        Assert.Equal([RpcErrorCodes.ParseError, RpcErrorCodes.ParseError, RpcErrorCodes.InvalidRequest, RpcErrorCodes.InvalidParams], codes);
        Assert.Equal("pong", (await client.CallResultAsync("ping"))["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_text_frame_that_is_not_utf8_is_a_parse_error_when_the_transport_lets_it_through()
    {
        // Kestrel's WebSocket fails such a connection itself (RFC 6455 §8.1); the in-memory test transport does not,
        // which lets this test reach the parser's own check.
        await using RpcTestClient client = await _host.OpenSocketAsync();
        await client.SendRawAsync([0x7B, 0xC3, 0x28, 0x7D], WebSocketMessageType.Text);
        JsonObject error = await client.WaitForAsync(m => m["error"] is not null, "a parse error");
        Assert.Equal(RpcErrorCodes.ParseError, error["error"]!["code"]!.GetValue<int>());
        Assert.Contains("UTF-8", error["error"]!["message"]!.GetValue<string>());
        Assert.Equal("pong", (await client.CallResultAsync("ping"))["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Notifications_from_the_client_get_no_answer_and_responses_are_ignored()
    {
        await using RpcTestClient client = await _host.OpenSocketAsync();
        await client.SendRawAsync("""{"jsonrpc":"2.0","method":"ping"}""");
        await client.SendRawAsync("""{"jsonrpc":"2.0","method":"noSuchMethod"}""");
        await client.SendRawAsync("""{"jsonrpc":"2.0","id":5,"result":{}}""");
        await client.CallResultAsync("echo");
        Assert.Single(client.Seen);
    }

    [Fact]
    public async Task Random_frames_from_a_joined_client_never_break_the_server_or_its_session()
    {
        string sessionId = await _host.CreateSessionAsync();
        Participant fuzzer = await _host.JoinAsync(sessionId);
        Participant witness = await _host.JoinAsync(sessionId);
        await using RpcTestClient f = fuzzer.Client, w = witness.Client;
        var random = new Random(7);
        string[] methods = ["joinRoom", "leaveRoom", "sendMessage", "connect", "forceDisconnect", "forceUnpublish", "publishVideo",
            "receiveVideoFrom", "onIceCandidate", "streamPropertyChanged", "ping", "echo", "videoData"];
        JsonNode?[] values = [null, 0, -1, 1e300, "", "x", "con_" + witness.ConnectionId, true, new JsonArray(), new JsonObject(),
            new JsonArray(1, "a", null), """{"to":[1],"data":{}}""", """{"to":null,"type":7}"""];
        for (int i = 0; i < 2000; i++)
        {
            if (i % 3 == 0)
            {
                // Random text (a text frame must be UTF-8; the WebSocket layer itself fails the connection otherwise).
                char[] junk = new char[random.Next(1, 300)];
                for (int c = 0; c < junk.Length; c++)
                {
                    junk[c] = (char)random.Next(0x20, 0x7FF);
                }

                await f.SendRawAsync(new string(junk).Replace('\uD800', ' '));
                continue;
            }

            var parameters = new JsonObject();
            foreach (string name in (string[])["token", "session", "message", "sessionId", "connectionId", "streamId", "interval", "sender", "sdpOffer"])
            {
                if (random.Next(3) == 0)
                {
                    parameters[name] = values[random.Next(values.Length)]?.DeepClone();
                }
            }

            string method = methods[random.Next(methods.Length)];
            if (method is "leaveRoom" or "connect" or "joinRoom")
            {
                continue; // these would legitimately end or move the fuzzer's participation
            }

            await f.SendAsync(method, parameters);
        }

        // Everything was answered or ignored in order, the server is alive, and the fuzzer is still in the session.
        Assert.Equal("pong", (await f.CallResultAsync("ping"))["value"]!.GetValue<string>());
        await f.CallResultAsync("sendMessage", new JsonObject { ["message"] = """{"to":[],"data":"still here","type":"signal:chat"}""" });
        await w.NotificationAsync("sendMessage", s => s["data"]?.GetValue<string>() == "still here");
        Assert.Empty(w.Notifications("participantLeft"));
        Assert.DoesNotContain(f.Seen, m => m["error"]?["code"]?.GetValue<int>() == -32603);
    }
}
