using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Parley.Signaling.Tests;

/// <summary>A real HTTP server on loopback that records the webhook posts it receives (body and headers).</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<(JsonObject Body, IHeaderDictionary Headers)> _posts = Channel.CreateUnbounded<(JsonObject, IHeaderDictionary)>();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url => _app.Urls.First() + "/webhook";

    /// <summary>How many posts the receiver answers with 500 before it answers 200.</summary>
    public int FailuresLeft { get; set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/webhook", async (HttpContext http) =>
        {
            JsonObject body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            receiver._posts.Writer.TryWrite((body, new HeaderDictionary(http.Request.Headers.ToDictionary())));
            return receiver.FailuresLeft-- > 0 ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async Task<(JsonObject Body, IHeaderDictionary Headers)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await _posts.Reader.ReadAsync(timeout.Token);
    }

    public bool TryNext(out (JsonObject Body, IHeaderDictionary Headers) post) => _posts.Reader.TryRead(out post);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
