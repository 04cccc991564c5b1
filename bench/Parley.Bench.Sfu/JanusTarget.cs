using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>
/// Janus (Debian's <c>janus</c>) with its videoroom plugin, inside the benchmark's network namespace (it gathers no
/// candidates on loopback), driven through its plain HTTP API: one Janus session, a handle per peer, one room.
/// Publishers join and publish with an offer (Janus answers; the peer is the controlling ICE agent); subscribers join
/// with the publisher's feed id, get Janus's offer and answer it (Janus, a full agent and the offerer, controls).
/// Asynchronous answers arrive by long poll on the session and are matched by transaction.
/// </summary>
internal sealed class JanusTarget(BenchNetwork network, ServerRegistry servers, string logDirectory) : ISfuTarget
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private HttpClient? _http;
    private ServerProcess? _process;
    private long _session;
    private long _room;
    private Task? _polling;

    public string Name => "janus";

    public ServerProcess Process => _process ?? throw new InvalidOperationException("not started");

    public bool Raw => false;

    public IceRole SubscriberRole => IceRole.Controlled;

    public PeerCertificate Certificate { get; init; } = PeerCertificate.Create();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (network.Namespace is null)
        {
            throw new BenchmarkException("janus needs the network namespace (it gathers no candidates on loopback)");
        }

        if (!File.Exists(JanusConfig.Binary))
        {
            throw new BenchmarkException($"{JanusConfig.Binary} is not installed (Debian package janus)");
        }

        string folder = Path.Combine(logDirectory, "janus-config");
        string config = JanusConfig.Write(folder, network.ServerAddress.ToString(), Environment.ProcessorCount);
        var launch = new ServerLaunch(JanusConfig.Binary, ["-C", config, "-F", folder, "-o"], logDirectory);
        _process = servers.Start(Name, network.Wrap(launch), Path.Combine(logDirectory, "janus.log"));
        _http = new HttpClient { BaseAddress = new Uri($"http://{network.ServerAddress}:{JanusConfig.HttpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            _process.EnsureRunning();
            try
            {
                using HttpResponseMessage info = await _http.GetAsync("janus/info", cancellationToken);
                if (info.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchmarkException($"janus did not answer on its HTTP API within 20 s; its last output:{Environment.NewLine}{_process.Tail()}");
            }

            await Task.Delay(200, cancellationToken);
        }

        JsonNode created = await PostAsync("janus", new JsonObject { ["janus"] = "create" }, cancellationToken);
        _session = created["data"]!["id"]!.GetValue<long>();
        _polling = PollAsync();
        long handle = await AttachAsync(cancellationToken);
        _room = RandomNumberGenerator.GetInt32(1000, int.MaxValue);
        JsonNode room = await MessageAsync(handle, new JsonObject
        {
            ["request"] = "create", ["room"] = _room, ["publishers"] = 100, ["bitrate"] = 0, ["fir_freq"] = 0,
            ["videocodec"] = "vp8", ["audiocodec"] = "opus", ["notify_joining"] = false,
        }, null, cancellationToken);
        if (room["plugindata"]?["data"]?["videoroom"]?.GetValue<string>() != "created")
        {
            throw new BenchmarkException($"janus: creating the room failed: {room.ToJsonString()}");
        }
    }

    public async Task<Publication> PublishAsync(LoadPeer peer, int index, uint ssrc, CancellationToken cancellationToken)
    {
        long handle = await AttachAsync(cancellationToken);
        JsonNode joined = await MessageAsync(handle, new JsonObject
        {
            ["request"] = "join", ["ptype"] = "publisher", ["room"] = _room, ["display"] = $"publisher {index}",
        }, null, cancellationToken);
        long feed = joined["plugindata"]?["data"]?["id"]?.GetValue<long>()
            ?? throw new BenchmarkException($"janus: join as publisher gave no id: {joined.ToJsonString()}");
        JsonNode published = await MessageAsync(handle, new JsonObject { ["request"] = "publish" },
            new JsonObject { ["type"] = "offer", ["sdp"] = PeerSdp.PublisherOffer(peer, Certificate, ssrc), ["trickle"] = false }, cancellationToken);
        string answer = published["jsep"]?["sdp"]?.GetValue<string>()
            ?? throw new BenchmarkException($"janus: publish gave no answer: {published.ToJsonString()}");
        peer.SetRemote(PeerSdp.ReadTransport(answer, "janus publish"));
        return new Publication(index, feed.ToString(CultureInfo.InvariantCulture), PeerSdp.PayloadType(answer, "VP8") ?? PeerSdp.Vp8PayloadType);
    }

    public async Task SubscribeAsync(LoadPeer peer, Publication publication, CancellationToken cancellationToken)
    {
        long handle = await AttachAsync(cancellationToken);
        JsonNode attached = await MessageAsync(handle, new JsonObject
        {
            ["request"] = "join", ["ptype"] = "subscriber", ["room"] = _room,
            ["streams"] = new JsonArray(new JsonObject { ["feed"] = long.Parse(publication.Id, CultureInfo.InvariantCulture) }),
        }, null, cancellationToken);
        string offer = attached["jsep"]?["sdp"]?.GetValue<string>()
            ?? throw new BenchmarkException($"janus: join as subscriber gave no offer: {attached.ToJsonString()}");
        peer.SetRemote(PeerSdp.ReadTransport(offer, "janus subscribe"));
        JsonNode started = await MessageAsync(handle, new JsonObject { ["request"] = "start" },
            new JsonObject { ["type"] = "answer", ["sdp"] = PeerSdp.SubscriberAnswer(peer, Certificate, offer), ["trickle"] = false }, cancellationToken);
        if (started["plugindata"]?["data"]?["error"] is { } error)
        {
            throw new BenchmarkException($"janus: start failed: {error}");
        }
    }

    public Task<long?> AllocatedBytesAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public byte[] Registration(bool publisher, int publication) => [];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null)
        {
            await _polling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _http?.Dispose();
        _stop.Dispose();
    }

    private async Task<long> AttachAsync(CancellationToken cancellationToken)
    {
        JsonNode attached = await PostAsync($"janus/{_session}", new JsonObject { ["janus"] = "attach", ["plugin"] = "janus.plugin.videoroom" }, cancellationToken);
        return attached["data"]!["id"]!.GetValue<long>();
    }

    /// <summary>A plugin message; its synchronous answer, or the event that answers it after an ack.</summary>
    private async Task<JsonNode> MessageAsync(long handle, JsonObject body, JsonObject? jsep, CancellationToken cancellationToken)
    {
        string transaction = Guid.NewGuid().ToString("N");
        var pending = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[transaction] = pending;
        var request = new JsonObject { ["janus"] = "message", ["body"] = body };
        if (jsep is not null)
        {
            request["jsep"] = jsep;
        }

        JsonNode answer = await PostAsync($"janus/{_session}/{handle}", request, cancellationToken, transaction);
        if (answer["janus"]?.GetValue<string>() != "ack")
        {
            _pending.TryRemove(transaction, out _);
            return answer;
        }

        try
        {
            JsonNode reply = await pending.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            if (reply["plugindata"]?["data"]?["error"] is { } error)
            {
                throw new BenchmarkException($"janus: {body["request"]} failed: {error}");
            }

            return reply;
        }
        catch (TimeoutException)
        {
            throw new BenchmarkException($"janus: no answer to {body["request"]} within 20 s");
        }
    }

    private async Task<JsonNode> PostAsync(string path, JsonObject request, CancellationToken cancellationToken, string? transaction = null)
    {
        request["transaction"] = transaction ?? Guid.NewGuid().ToString("N");
        using HttpResponseMessage response = await _http!.PostAsJsonAsync(path, request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode answer = JsonNode.Parse(text) ?? throw new BenchmarkException($"janus: POST /{path} answered nothing");
        if (!response.IsSuccessStatusCode || answer["janus"]?.GetValue<string>() == "error")
        {
            throw new BenchmarkException($"janus: POST /{path} failed: {text}");
        }

        return answer;
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            JsonNode? events;
            try
            {
                string text = await _http!.GetStringAsync($"janus/{_session}?maxev=100", _stop.Token);
                events = JsonNode.Parse(text);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(100);
                continue;
            }

            foreach (JsonNode? item in events is JsonArray array ? [.. array] : new[] { events })
            {
                if (item?["transaction"]?.GetValue<string>() is { } transaction && item["janus"]?.GetValue<string>() == "event"
                    && _pending.TryRemove(transaction, out TaskCompletionSource<JsonNode>? pending))
                {
                    pending.TrySetResult(item);
                }
            }
        }
    }
}
