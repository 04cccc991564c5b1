using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Signaling;
using Parley.Signaling.Rest;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

/// <summary>
/// The signalling endpoints (REST and WebSocket) hosted in memory by ASP.NET Core's TestServer, on a clock the test
/// moves. The maintenance sweep is run by the test (<see cref="AdvanceAsync"/>), so timing is exact.
/// </summary>
internal sealed class SignalingHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SignalingHost(WebApplication app, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Server = app.GetTestServer();
        Signaling = app.Services.GetRequiredService<SignalingService>();
        Rest = Server.CreateClient();
        Rest.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("OPENVIDUAPP:MY_SECRET")));
    }

    public FakeTimeProvider Time { get; }

    public TestServer Server { get; }

    public SignalingService Signaling { get; }

    public HttpClient Rest { get; }

    public static async Task<SignalingHost> StartAsync(Action<SignalingOptions>? configure = null, Parley.Signaling.Media.IMediaServer? media = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.Configure<SignalingOptions>(options => configure?.Invoke(options));
        if (media is not null)
        {
            builder.Services.AddSingleton(media);
        }

        builder.Services.AddOpenViduSignaling();
        WebApplication app = builder.Build();
        app.UseWebSockets();
        app.MapOpenViduRestApi();
        app.MapOpenViduWebSocket();
        await app.StartAsync();
        return new SignalingHost(app, time);
    }

    /// <summary>Moves the clock and runs the maintenance sweep at the new time.</summary>
    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Signaling.Sweep(Time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public async Task<string> CreateSessionAsync()
    {
        HttpResponseMessage response = await Rest.PostAsJsonAsync("/openvidu/api/sessions", new { });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>Creates a connection; returns its id and token.</summary>
    public async Task<(string ConnectionId, string Token)> CreateConnectionAsync(string sessionId, string role = "PUBLISHER", string data = "")
    {
        HttpResponseMessage response = await Rest.PostAsJsonAsync($"/openvidu/api/sessions/{sessionId}/connection", new { role, data });
        response.EnsureSuccessStatusCode();
        JsonObject connection = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (connection["connectionId"]!.GetValue<string>(), connection["token"]!.GetValue<string>());
    }

    public async Task<RpcTestClient> OpenSocketAsync() =>
        new(await Server.CreateWebSocketClient().ConnectAsync(new Uri(Server.BaseAddress, "openvidu?sessionId=x"), CancellationToken.None));

    /// <summary>Opens a socket and joins with a fresh connection of <paramref name="role"/>.</summary>
    public async Task<Participant> JoinAsync(string sessionId, string role = "PUBLISHER", string clientData = "")
    {
        (string connectionId, string token) = await CreateConnectionAsync(sessionId, role);
        RpcTestClient client = await OpenSocketAsync();
        JsonObject result = await client.CallResultAsync("joinRoom",
            new JsonObject { ["token"] = token, ["session"] = sessionId, ["platform"] = "test", ["metadata"] = clientData });
        return new Participant(client, connectionId, result["sessionId"]!.GetValue<string>(), result);
    }

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record Participant(RpcTestClient Client, string ConnectionId, string RpcSessionId, JsonObject JoinResult);
