using System.Text.Json;

namespace Parley.Signaling;

/// <summary>
/// A stream a participant publishes (OpenVidu's Stream and its MediaOptions): what it carries and its current
/// state, kept up to date by <c>streamPropertyChanged</c> so later joiners and the REST API see it as it is.
/// Mutable fields are guarded by the session's lock.
/// </summary>
public sealed class PublishedStream(string streamId, long createdAt, bool hasAudio, bool hasVideo)
{
    public string StreamId { get; } = streamId;

    public long CreatedAt { get; } = createdAt;

    public bool HasAudio { get; } = hasAudio;

    public bool HasVideo { get; } = hasVideo;

    public bool AudioActive { get; internal set; } = true;

    public bool VideoActive { get; internal set; } = true;

    /// <summary><c>CAMERA</c>, <c>SCREEN</c>, <c>CUSTOM</c>; null without video.</summary>
    public string? TypeOfVideo { get; internal init; }

    /// <summary>-1 when the publisher did not set one.</summary>
    public double FrameRate { get; internal init; } = -1;

    /// <summary>The JSON text <c>{"width":…,"height":…}</c> as the browser sends it, or null.</summary>
    public string? VideoDimensions { get; internal set; }

    /// <summary>The connections subscribed to this stream.</summary>
    internal HashSet<string> Subscribers { get; } = new(StringComparer.Ordinal);

    /// <summary>OpenVidu's streamId: <c>str_&lt;CAM|SCR|CUS|MIC&gt;_&lt;X&gt;&lt;3&gt;_&lt;connectionId&gt;</c>; it ends with the
    /// publisher's connection id, which is how OpenVidu routes subscriptions.</summary>
    public static string NewId(string? typeOfVideo, string connectionId)
    {
        string prefix = typeOfVideo is { Length: >= 3 } type ? type[..3].ToUpperInvariant() : "MIC";
        return $"str_{prefix}_{Ids.NewStreamSuffix()}_{connectionId}";
    }

    /// <summary>The stream object of joinRoom's <c>value[].streams</c> and of <c>participantPublished</c>.</summary>
    internal void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("id", StreamId);
        json.WriteNumber("createdAt", CreatedAt);
        json.WriteBoolean("hasAudio", HasAudio);
        json.WriteBoolean("hasVideo", HasVideo);
        json.WriteBoolean("audioActive", AudioActive);
        json.WriteBoolean("videoActive", VideoActive);
        json.WriteString("typeOfVideo", TypeOfVideo);
        json.WriteNumber("frameRate", FrameRate);
        json.WriteString("videoDimensions", VideoDimensions);
        json.WriteStartObject("filter");
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
