using System.Text.Json.Nodes;

namespace Parley.Signaling;

/// <summary>The properties a session is created with (OpenVidu's SessionProperties), as given and defaulted.</summary>
public sealed record SessionProperties
{
    public string MediaMode { get; init; } = "ROUTED";

    public string RecordingMode { get; init; } = "MANUAL";

    public string CustomSessionId { get; init; } = "";

    public string ForcedVideoCodec { get; init; } = "MEDIA_SERVER_PREFERRED";

    public bool AllowTranscoding { get; init; }

    /// <summary>Kept as given (after validation) and echoed back.</summary>
    public JsonObject DefaultRecordingProperties { get; init; } = DefaultRecording();

    public string? MediaNodeId { get; init; }

    public static JsonObject DefaultRecording() => new()
    {
        ["name"] = "",
        ["hasAudio"] = true,
        ["hasVideo"] = true,
        ["outputMode"] = "COMPOSED",
        ["recordingLayout"] = "BEST_FIT",
        ["resolution"] = "1280x720",
        ["frameRate"] = 25,
        ["shmSize"] = 536870912,
    };
}
