namespace Parley.Signaling;

/// <summary>Settings of the OpenVidu-compatible signalling (configuration section <c>OpenVidu</c>; the usual
/// OpenVidu environment variables are mapped onto it by the host).</summary>
public sealed class SignalingOptions
{
    public const string SectionName = "OpenVidu";

    /// <summary>The default secret of OpenVidu's development server; refused on a non-loopback address.</summary>
    public const string DevelopmentSecret = "MY_SECRET";

    /// <summary><c>OPENVIDU_SECRET</c>: the password of the REST API's Basic auth (user <c>OPENVIDUAPP</c>).</summary>
    public string Secret { get; set; } = DevelopmentSecret;

    /// <summary><c>OPENVIDU_PUBLICURL</c>: the public base URL tokens point at (https → wss). Unset: the scheme and
    /// host of the REST request that creates the token.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// The <c>mediaServer</c> joinRoom announces, which picks openvidu-browser's negotiation: <c>mediasoup</c> (the
    /// server offers to subscribers and publishers send simulcast) or <c>kurento</c> (the browser offers everywhere,
    /// as OpenVidu CE).
    /// </summary>
    public string MediaServer { get; set; } = "mediasoup";

    /// <summary>How long a participant whose socket dropped is kept for it to resume with <c>connect</c> (kurento's
    /// <c>ws.sessionReconnectionTime</c>, 10 s), before it is evicted with <c>networkDisconnect</c>.</summary>
    public TimeSpan ReconnectionWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>OPENVIDU_SESSIONS_GARBAGE_THRESHOLD</c>: a session nobody has joined is closed after this long.</summary>
    public TimeSpan SessionGarbageThreshold { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The largest JSON-RPC message accepted (SDP offers with simulcast are 6-15 KB).</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary><c>OPENVIDU_WEBHOOK</c>: post session events (OpenVidu's CDR) to <see cref="WebhookEndpoint"/>.</summary>
    public bool Webhook { get; set; }

    /// <summary><c>OPENVIDU_WEBHOOK_ENDPOINT</c>: the URL events are posted to.</summary>
    public string? WebhookEndpoint { get; set; }

    /// <summary><c>OPENVIDU_WEBHOOK_HEADERS</c>: extra <c>"Name: value"</c> headers on every post (e.g. authorization).</summary>
    public List<string> WebhookHeaders { get; set; } = [];

    /// <summary><c>OPENVIDU_WEBHOOK_EVENTS</c>: the event names to post; empty posts all of them.</summary>
    public List<string> WebhookEvents { get; set; } = [];

    /// <summary>The largest signal (the <c>sendMessage</c> message string, or REST <c>data</c>) accepted.</summary>
    public int MaxSignalBytes { get; set; } = 64 * 1024;
}
