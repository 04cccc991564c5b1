using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

/// <summary>Signals (openvidu-protocol.md §3): the chat of every OpenVidu app.</summary>
public sealed class SignalTests : IAsyncLifetime
{
    private SignalingHost _host = null!;
    private string _sessionId = null!;
    private Participant _a = null!, _b = null!, _c = null!;

    public async Task InitializeAsync()
    {
        _host = await SignalingHost.StartAsync(o => o.MaxSignalBytes = 1000);
        _sessionId = await _host.CreateSessionAsync();
        _a = await _host.JoinAsync(_sessionId);
        _b = await _host.JoinAsync(_sessionId);
        _c = await _host.JoinAsync(_sessionId);
    }

    public async Task DisposeAsync()
    {
        foreach (Participant p in (Participant[])[_a, _b, _c])
        {
            await p.Client.DisposeAsync();
        }

        await _host.DisposeAsync();
    }

    private static JsonObject Message(object to, string data, string type = "signal:chat") =>
        new() { ["message"] = new JsonObject { ["to"] = JsonSerializerNode(to), ["data"] = data, ["type"] = type }.ToJsonString() };

    private static JsonNode JsonSerializerNode(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!;

    [Fact]
    public async Task A_broadcast_reaches_everyone_including_the_sender_with_from_set()
    {
        await _a.Client.CallResultAsync("sendMessage", Message(Array.Empty<string>(), "hello <b>all</b>"));
        foreach (Participant p in (Participant[])[_a, _b, _c])
        {
            JsonObject signal = await p.Client.NotificationAsync("sendMessage");
            Assert.Equal(["data", "type", "from"], signal.Select(p => p.Key));
            Assert.Equal("hello <b>all</b>", signal["data"]!.GetValue<string>());
            Assert.Equal("signal:chat", signal["type"]!.GetValue<string>());
            Assert.Equal(_a.ConnectionId, signal["from"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_signal_to_listed_connections_reaches_only_them()
    {
        await _a.Client.CallResultAsync("sendMessage", Message(new[] { _b.ConnectionId }, "private"));
        await _a.Client.CallResultAsync("sendMessage", Message(Array.Empty<string>(), "after"));
        foreach (Participant p in (Participant[])[_a, _b, _c])
        {
            await p.Client.NotificationAsync("sendMessage", s => s["data"]!.GetValue<string>() == "after");
        }

        Assert.Equal(["private", "after"], _b.Client.Notifications("sendMessage").Select(s => s["data"]!.GetValue<string>()));
        Assert.Equal(["after"], _c.Client.Notifications("sendMessage").Select(s => s["data"]!.GetValue<string>()));
        Assert.Equal(["after"], _a.Client.Notifications("sendMessage").Select(s => s["data"]!.GetValue<string>()));
    }

    [Fact]
    public async Task One_unknown_recipient_rejects_the_whole_signal_and_nothing_is_sent()
    {
        JsonObject error = await _a.Client.CallErrorAsync("sendMessage", Message(new[] { _b.ConnectionId, "con_Nobody" }, "lost"));
        Assert.Equal(RpcErrorCodes.SignalToInvalid, error["code"]!.GetValue<int>());
        await _a.Client.CallResultAsync("sendMessage", Message(new[] { _b.ConnectionId }, "marker"));
        await _b.Client.NotificationAsync("sendMessage", s => s["data"]!.GetValue<string>() == "marker");
        Assert.DoesNotContain(_b.Client.Notifications("sendMessage"), s => s["data"]!.GetValue<string>() == "lost");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("{\"to\":\"con_x\",\"data\":\"d\"}")]
    public async Task Malformed_signal_messages_are_format_errors(string message)
    {
        JsonObject error = await _a.Client.CallErrorAsync("sendMessage", new JsonObject { ["message"] = message });
        Assert.Equal(RpcErrorCodes.SignalFormatInvalid, error["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Signals_over_the_size_limit_are_refused_with_a_clear_error()
    {
        JsonObject error = await _a.Client.CallErrorAsync("sendMessage", Message(Array.Empty<string>(), new string('x', 1001)));
        Assert.Equal(RpcErrorCodes.SignalFormatInvalid, error["code"]!.GetValue<int>());
        Assert.Contains("1000", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Each_senders_order_is_kept()
    {
        for (int i = 0; i < 200; i++)
        {
            await _a.Client.SendAsync("sendMessage", Message(new[] { _b.ConnectionId }, $"m{i}"));
            await _c.Client.SendAsync("sendMessage", Message(new[] { _b.ConnectionId }, $"n{i}"));
        }

        await _b.Client.NotificationAsync("sendMessage", s => s["data"]!.GetValue<string>() == "m199");
        await _b.Client.NotificationAsync("sendMessage", s => s["data"]!.GetValue<string>() == "n199");
        IReadOnlyList<JsonObject> received = _b.Client.Notifications("sendMessage");
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i}"),
            received.Where(s => s["from"]!.GetValue<string>() == _a.ConnectionId).Select(s => s["data"]!.GetValue<string>()));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"n{i}"),
            received.Where(s => s["from"]!.GetValue<string>() == _c.ConnectionId).Select(s => s["data"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_rest_signal_has_no_from_and_checks_its_input()
    {
        HttpResponseMessage ok = await _host.Rest.PostAsJsonAsync("/openvidu/api/signal",
            new { session = _sessionId, to = new[] { _c.ConnectionId }, type = "signal:chat", data = "from the server" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("", await ok.Content.ReadAsStringAsync());
        JsonObject signal = await _c.Client.NotificationAsync("sendMessage");
        Assert.Equal("""{"data":"from the server","type":"signal:chat"}""", signal.ToJsonString());

        Assert.Equal(HttpStatusCode.NotAcceptable, (await _host.Rest.PostAsJsonAsync("/openvidu/api/signal",
            new { session = _sessionId, to = new[] { "con_Unknown" }, data = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Rest.PostAsJsonAsync("/openvidu/api/signal", new { session = "ses_None" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Rest.PostAsJsonAsync("/openvidu/api/signal", new { to = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Rest.PostAsJsonAsync("/openvidu/api/signal", new { session = _sessionId, to = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Rest.PostAsJsonAsync("/openvidu/api/signal", new { session = _sessionId, data = 5 })).StatusCode);
        string empty = await _host.CreateSessionAsync();
        Assert.Equal(HttpStatusCode.NotAcceptable, (await _host.Rest.PostAsJsonAsync("/openvidu/api/signal", new { session = empty })).StatusCode);
    }
}
