using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests;

/// <summary>The executable's wiring of signalling: the WebSocket at /openvidu, the server's own STUN and TURN handed
/// to joining clients, and OpenVidu's webhook environment names.</summary>
public sealed class SignalingWiringTests
{
    private static HttpClient RestClient(ParleyProcess parley)
    {
        var http = new HttpClient { BaseAddress = parley.HttpAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("OPENVIDUAPP:MY_SECRET"u8));
        return http;
    }

    private static async Task<JsonObject> PostAsync(HttpClient http, string path, string body)
    {
        using HttpResponseMessage response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task A_client_joining_over_the_websocket_is_given_this_servers_stun_and_turn_with_rest_credentials()
    {
        await using ParleyProcess parley = await ParleyProcess.StartAsync("--Turn:StaticAuthSecret=S");
        using HttpClient http = RestClient(parley);
        string sessionId = (await PostAsync(http, "/openvidu/api/sessions", "{}"))["id"]!.GetValue<string>();
        string token = (await PostAsync(http, $"/openvidu/api/sessions/{sessionId}/connection", "{}"))["token"]!.GetValue<string>();
        Assert.StartsWith($"ws://{parley.HttpAddress.Authority}?sessionId={sessionId}&token=tok_", token);

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{parley.HttpAddress.Authority}/openvidu?sessionId={sessionId}"), CancellationToken.None);
        string join = new JsonObject
        {
            ["jsonrpc"] = "2.0", ["method"] = "joinRoom", ["id"] = 0,
            ["params"] = new JsonObject { ["token"] = token, ["session"] = sessionId, ["metadata"] = "" },
        }.ToJsonString();
        await socket.SendAsync(Encoding.UTF8.GetBytes(join), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        JsonObject result = JsonNode.Parse(buffer.AsSpan(0, received.Count))!["result"]!.AsObject();

        int stunPort = parley.StunUdp[0].Port;
        JsonArray servers = result["customIceServers"]!.AsArray();
        Assert.Equal([$"stun:127.0.0.1:{stunPort}", $"turn:127.0.0.1:{stunPort}", $"turn:127.0.0.1:{stunPort}?transport=tcp"],
            servers.Select(s => s!["url"]!.GetValue<string>()));
        Assert.Null(servers[0]!["username"]);
        foreach (JsonNode? turn in servers.Skip(1))
        {
            // coturn's REST API credentials, minted for this connection and valid for a day.
            string username = turn!["username"]!.GetValue<string>();
            string[] parts = username.Split(':');
            Assert.Equal(result["id"]!.GetValue<string>(), parts[1]);
            long expiry = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(expiry - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 86_000, 86_400);
            Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData("S"u8, Encoding.UTF8.GetBytes(username))),
                turn["credential"]!.GetValue<string>());
        }

        await socket.CloseAsync((WebSocketCloseStatus)4102, "Connection closed by client", CancellationToken.None);
    }

    [Fact]
    public async Task The_built_in_tutorial_application_server_mints_tokens_without_the_secret_and_can_be_turned_off()
    {
        await using ParleyProcess parley = await ParleyProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = parley.HttpAddress };
        using HttpResponseMessage created = await http.PostAsync(new Uri("/api/sessions", UriKind.Relative),
            new StringContent("""{"customSessionId":"study-group"}""", Encoding.UTF8, "application/json"));
        Assert.Equal("study-group", await created.Content.ReadAsStringAsync());
        using HttpResponseMessage again = await http.PostAsync(new Uri("/api/sessions", UriKind.Relative),
            new StringContent("""{"customSessionId":"study-group"}""", Encoding.UTF8, "application/json"));
        Assert.Equal("study-group", await again.Content.ReadAsStringAsync()); // an existing session keeps its id
        using HttpResponseMessage token = await http.PostAsync(new Uri("/api/sessions/study-group/connections", UriKind.Relative),
            new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.StartsWith($"ws://{parley.HttpAddress.Authority}?sessionId=study-group&token=tok_", await token.Content.ReadAsStringAsync());
        using HttpResponseMessage missing = await http.PostAsync(new Uri("/api/sessions/nope/connections", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using HttpResponseMessage bad = await http.PostAsync(new Uri("/api/sessions", UriKind.Relative),
            new StringContent("""{"customSessionId":"no spaces/allowed"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        await using ParleyProcess production = await ParleyProcess.StartAsync("--Parley:DemoApplication=false");
        using var off = new HttpClient { BaseAddress = production.HttpAddress };
        using HttpResponseMessage refused = await off.PostAsync(new Uri("/api/sessions", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Openvidu_webhook_environment_names_configure_the_webhook()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        Task<HttpListenerContext> post = receiver.GetContextAsync();

        await using ParleyProcess parley = await ParleyProcess.StartAsync(
            "--OPENVIDU_WEBHOOK=true", $"--OPENVIDU_WEBHOOK_ENDPOINT=http://127.0.0.1:{port}/hook",
            """--OPENVIDU_WEBHOOK_HEADERS=["X-Parley-Test: yes"]""", """--OPENVIDU_WEBHOOK_EVENTS=["sessionCreated"]""");
        using HttpClient http = RestClient(parley);
        string sessionId = (await PostAsync(http, "/openvidu/api/sessions", "{}"))["id"]!.GetValue<string>();

        HttpListenerContext context = await post.WaitAsync(TimeSpan.FromSeconds(10));
        using var reader = new StreamReader(context.Request.InputStream);
        JsonObject body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
        context.Response.StatusCode = 200;
        context.Response.Close();
        Assert.Equal("/hook", context.Request.Url!.AbsolutePath);
        Assert.Equal("yes", context.Request.Headers["X-Parley-Test"]);
        Assert.Equal("sessionCreated", body["event"]!.GetValue<string>());
        Assert.Equal(sessionId, body["sessionId"]!.GetValue<string>());
    }
}
