using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Signaling;

/// <summary>
/// Posts session events to the configured webhook as OpenVidu does (openvidu-protocol.md §6): one JSON object per
/// POST with <c>event</c>, <c>sessionId</c>, <c>uniqueSessionId</c> and <c>timestamp</c>, in the order they
/// happened, from one background loop; up to five attempts on network errors; a non-2xx answer is logged, not retried.
/// Events are queued without waiting, so signalling never slows down for a slow receiver.
/// </summary>
public sealed partial class WebhookSender : BackgroundService
{
    internal const int MaxQueuedEvents = 10_000;
    private const int MaxAttempts = 5;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SignalingOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger<WebhookSender> _log;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _events;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(MaxQueuedEvents) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public WebhookSender(IOptions<SignalingOptions> options, IHttpClientFactory httpClients, TimeProvider time, ILogger<WebhookSender> log)
    {
        _options = options.Value;
        _http = httpClients.CreateClient(nameof(WebhookSender));
        _http.Timeout = TimeSpan.FromSeconds(10);
        _time = time;
        _log = log;
        _events = new HashSet<string>(_options.WebhookEvents, StringComparer.Ordinal);
        Enabled = _options.Webhook && Uri.TryCreate(_options.WebhookEndpoint, UriKind.Absolute, out _);
    }

    public bool Enabled { get; }

    /// <summary>Queues an event of <paramref name="session"/> at <paramref name="timestamp"/>; the fields after the
    /// common ones are written by <paramref name="writeFields"/>.</summary>
    public void Post(string eventName, SignalingSession session, long timestamp, Action<Utf8JsonWriter> writeFields)
    {
        if (!Enabled || (_events.Count > 0 && !_events.Contains(eventName)))
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("event", eventName);
            json.WriteString("sessionId", session.SessionId);
            json.WriteString("uniqueSessionId", $"{session.SessionId}_{session.CreatedAt}");
            json.WriteNumber("timestamp", timestamp);
            writeFields(json);
            json.WriteEndObject();
        }

        if (!_queue.Writer.TryWrite(buffer.WrittenSpan.ToArray()))
        {
            LogDropped(eventName, MaxQueuedEvents);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (byte[] body in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(body, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task DeliverAsync(byte[] body, CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _options.WebhookEndpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            foreach (string header in _options.WebhookHeaders)
            {
                int colon = header.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    request.Headers.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim());
                }
            }

            try
            {
                using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    LogRejected((int)response.StatusCode);
                }

                return;
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                LogFailed(attempt, MaxAttempts, e.Message);
                if (attempt < MaxAttempts)
                {
                    await Task.Delay(TimeSpan.FromSeconds(attempt), _time, cancellationToken);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook answered {Status}; event not re-sent")]
    private partial void LogRejected(int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook post failed (attempt {Attempt} of {Attempts}): {Reason}")]
    private partial void LogFailed(int attempt, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook event {Event} dropped: {Max} events already waiting")]
    private partial void LogDropped(string @event, int max);
}
