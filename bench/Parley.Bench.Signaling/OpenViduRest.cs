using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Parley.Bench.Common;

namespace Parley.Bench.Signaling;

/// <summary>The two REST calls an application server makes before its users join: a session, then one connection
/// (and its single-use token) per participant. Basic auth with OpenVidu's default secret.</summary>
internal sealed class OpenViduRest : IDisposable
{
    private readonly HttpClient _http;

    public OpenViduRest(Uri baseUri)
    {
        _http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes("OPENVIDUAPP:MY_SECRET")));
    }

    /// <summary>A new session's id.</summary>
    public async Task<string> CreateSessionAsync(CancellationToken cancellationToken)
    {
        using JsonDocument session = await PostAsync("openvidu/api/sessions", "{}", cancellationToken);
        return RequiredString(session, "id", "POST /openvidu/api/sessions");
    }

    /// <summary>A new connection's token.</summary>
    public async Task<string> CreateTokenAsync(string sessionId, CancellationToken cancellationToken)
    {
        string path = $"openvidu/api/sessions/{Uri.EscapeDataString(sessionId)}/connection";
        using JsonDocument connection = await PostAsync(path, "{}", cancellationToken);
        return RequiredString(connection, "token", "POST /" + path);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> PostAsync(string path, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(path, content, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new BenchmarkException($"POST /{path} failed: {e.Message}");
        }

        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new BenchmarkException($"POST /{path} answered {(int)response.StatusCode}: {text}");
            }

            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new BenchmarkException($"POST /{path} answered something that is not JSON ({e.Message}): {text}");
            }
        }
    }

    private static string RequiredString(JsonDocument document, string property, string call) =>
        document.RootElement.ValueKind == JsonValueKind.Object
        && document.RootElement.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new BenchmarkException($"{call} answered without a \"{property}\": {document.RootElement}");
}
