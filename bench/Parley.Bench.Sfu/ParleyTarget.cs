using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>
/// Parley: its Release build run as deployed (<c>dotnet Parley.Server.dll</c>, its own appsettings), HTTP and the
/// one WebRTC UDP port on the server address, STUN off, a secret of its own. Peers join one OpenVidu session through the REST API and
/// the JSON-RPC WebSocket: publishers with <c>publishVideo</c>, subscribers with <c>receiveVideoFrom</c> in the
/// client-offer ("kurento") flow. Parley is ICE-lite, so every peer is the controlling agent.
/// </summary>
internal sealed class ParleyTarget(ServerLaunch launch, BenchNetwork network, ServerRegistry servers, string logDirectory) : ISfuTarget
{
    private const int WebRtcPort = 40000;

    /// <summary>Parley refuses OpenVidu's default secret off loopback, so the benchmark brings its own.</summary>
    private const string Secret = "parley-bench-sfu";

    private readonly ConcurrentBag<OpenViduClient> _clients = [];
    private HttpClient? _http;
    private Uri? _base;
    private string? _session;
    private ServerProcess? _process;

    public string Name => "parley";

    public ServerProcess Process => _process ?? throw new InvalidOperationException("not started");

    public bool Raw => false;

    public IceRole SubscriberRole => IceRole.Controlling;

    public PeerCertificate Certificate { get; init; } = PeerCertificate.Create();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int port = network.Namespace is null ? 0 : WebRtcPort;
        ServerLaunch configured = launch with
        {
            Arguments =
            [
                .. launch.Arguments, "--urls", $"http://{network.ServerAddress}:0", "--Stun:Enabled=false", $"--OpenVidu:Secret={Secret}",
                $"--WebRtc:Port={port}", $"--WebRtc:ListeningIp={network.ServerAddress}",
            ],
        };
        _process = servers.Start(Name, network.Wrap(configured), Path.Combine(logDirectory, "parley.log"));
        _base = await _process.WaitUntilListeningAsync(TimeSpan.FromSeconds(30), cancellationToken);
        _http = new HttpClient { BaseAddress = _base, Timeout = TimeSpan.FromSeconds(20) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"OPENVIDUAPP:{Secret}")));
        JsonNode session = await PostAsync("openvidu/api/sessions", "{}", cancellationToken);
        _session = session["id"]?.GetValue<string>() ?? throw new BenchmarkException($"POST /openvidu/api/sessions gave no id: {session}");
    }

    public async Task<Publication> PublishAsync(LoadPeer peer, int index, uint ssrc, CancellationToken cancellationToken)
    {
        OpenViduClient client = await JoinAsync(cancellationToken);
        JsonNode result = await client.CallAsync("publishVideo", new JsonObject
        {
            ["sdpOffer"] = PeerSdp.PublisherOffer(peer, Certificate, ssrc), ["doLoopback"] = false, ["hasAudio"] = false,
            ["hasVideo"] = true, ["audioActive"] = false, ["videoActive"] = true, ["typeOfVideo"] = "CUSTOM",
            ["frameRate"] = 30, ["videoDimensions"] = "{\"width\":640,\"height\":480}",
        }, cancellationToken);
        string answer = result["sdpAnswer"]?.GetValue<string>() ?? throw new BenchmarkException($"publishVideo gave no sdpAnswer: {result}");
        string id = result["id"]?.GetValue<string>() ?? throw new BenchmarkException($"publishVideo gave no id: {result}");
        peer.SetRemote(PeerSdp.ReadTransport(answer, "publishVideo"));
        return new Publication(index, id, PeerSdp.PayloadType(answer, "VP8") ?? PeerSdp.Vp8PayloadType);
    }

    public async Task SubscribeAsync(LoadPeer peer, Publication publication, CancellationToken cancellationToken)
    {
        OpenViduClient client = await JoinAsync(cancellationToken);
        JsonNode result = await client.CallAsync("receiveVideoFrom", new JsonObject
        {
            ["sender"] = publication.Id, ["sdpOffer"] = PeerSdp.SubscriberOffer(peer, Certificate),
        }, cancellationToken);
        string answer = result["sdpAnswer"]?.GetValue<string>() ?? throw new BenchmarkException($"receiveVideoFrom gave no sdpAnswer: {result}");
        peer.SetRemote(PeerSdp.ReadTransport(answer, "receiveVideoFrom"));
    }

    /// <summary>parley_dotnet_allocated_bytes_total from /metrics: the whole process's managed allocations.</summary>
    public async Task<long?> AllocatedBytesAsync(CancellationToken cancellationToken)
    {
        string metrics = await _http!.GetStringAsync("metrics", cancellationToken);
        const string Name = "parley_dotnet_allocated_bytes_total ";
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith(Name, StringComparison.Ordinal)
                && long.TryParse(line[Name.Length..], System.Globalization.CultureInfo.InvariantCulture, out long bytes))
            {
                return bytes;
            }
        }

        return null; // a build without the metric
    }

    public byte[] Registration(bool publisher, int publication) => [];

    public async ValueTask DisposeAsync()
    {
        foreach (OpenViduClient client in _clients)
        {
            await client.DisposeAsync();
        }

        _http?.Dispose();
    }

    private async Task<OpenViduClient> JoinAsync(CancellationToken cancellationToken)
    {
        string path = $"openvidu/api/sessions/{Uri.EscapeDataString(_session!)}/connection";
        JsonNode connection = await PostAsync(path, "{}", cancellationToken);
        string token = connection["token"]?.GetValue<string>() ?? throw new BenchmarkException($"POST /{path} gave no token: {connection}");
        var client = new OpenViduClient();
        _clients.Add(client);
        await client.JoinAsync(_base!, token, _session!, cancellationToken);
        return client;
    }

    private async Task<JsonNode> PostAsync(string path, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http!.PostAsync(path, content, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkException($"POST /{path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text) ?? throw new BenchmarkException($"POST /{path} answered nothing");
    }
}
