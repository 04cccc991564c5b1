using System.Text.Json.Nodes;

namespace Parley.Signaling;

/// <summary>The properties a WEBRTC connection is created with (OpenVidu's ConnectionProperties).</summary>
public sealed record ConnectionProperties
{
    public OpenViduRole Role { get; init; } = OpenViduRole.Publisher;

    /// <summary>serverData: the app server's data for this connection.</summary>
    public string Data { get; init; } = "";

    public bool Record { get; init; } = true;

    public JsonObject? KurentoOptions { get; init; }

    public JsonArray CustomIceServers { get; init; } = [];
}
