using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Signaling.Media;

namespace Parley.Signaling.Rest;

/// <summary>The Session and Connection objects with the fields, names and types OpenVidu 2.32 returns
/// (openvidu-protocol.md §4.4-4.5): nulls written explicitly, deprecated aliases kept, since clients read them.
/// With a media server given (<c>?webRtcStats=true</c>), publishers and subscribers carry its statistics too.</summary>
internal static class OpenViduJson
{
    public static void WriteSession(Utf8JsonWriter json, SignalingSession session, bool includePending, IMediaServer? webRtcStats = null)
    {
        SessionProperties p = session.Properties;
        json.WriteStartObject();
        json.WriteString("id", session.SessionId);
        json.WriteString("object", "session");
        json.WriteString("sessionId", session.SessionId);
        json.WriteNumber("createdAt", session.CreatedAt);
        json.WriteBoolean("recording", false);
        json.WriteBoolean("broadcasting", false);
        json.WriteString("mediaMode", p.MediaMode);
        json.WriteString("recordingMode", p.RecordingMode);
        json.WritePropertyName("defaultRecordingProperties");
        p.DefaultRecordingProperties.WriteTo(json);
        json.WriteString("customSessionId", p.CustomSessionId);
        if (p.MediaNodeId is not null)
        {
            json.WriteStartObject("mediaNode");
            json.WriteString("id", p.MediaNodeId);
            json.WriteEndObject();
        }

        json.WriteString("forcedVideoCodec", p.ForcedVideoCodec);
        json.WriteBoolean("allowTranscoding", p.AllowTranscoding);
        json.WritePropertyName("connections");
        WriteConnections(json, session, session.GetConnections(includePending), webRtcStats);
        json.WriteEndObject();
    }

    public static void WriteConnections(Utf8JsonWriter json, SignalingSession session, IReadOnlyList<SessionConnection> connections,
        IMediaServer? webRtcStats = null)
    {
        json.WriteStartObject();
        json.WriteNumber("numberOfElements", connections.Count);
        json.WriteStartArray("content");
        foreach (SessionConnection connection in connections)
        {
            WriteConnection(json, session, connection, webRtcStats);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteConnection(Utf8JsonWriter json, SignalingSession session, SessionConnection c, IMediaServer? webRtcStats = null)
    {
        json.WriteStartObject();
        json.WriteString("id", c.ConnectionId);
        json.WriteString("object", "connection");
        json.WriteString("status", c.IsActive ? "active" : "pending");
        json.WriteString("connectionId", c.ConnectionId);
        json.WriteString("sessionId", session.SessionId);
        json.WriteNumber("createdAt", c.CreatedAt);
        json.WriteString("type", "WEBRTC");
        json.WriteBoolean("record", c.Record);
        json.WriteString("role", OpenViduRoles.Name(c.Role));
        WriteNode(json, "kurentoOptions", c.Properties.KurentoOptions);
        WriteNode(json, "customIceServers", c.Properties.CustomIceServers);
        json.WriteNull("rtspUri");
        json.WriteNull("adaptativeBitrate");
        json.WriteNull("onlyPlayWithSubscribers");
        json.WriteNull("networkCache");
        json.WriteString("serverData", c.Properties.Data);
        json.WriteString("token", c.Token);
        if (c.ActiveAt is { } activeAt)
        {
            json.WriteNumber("activeAt", activeAt);
            json.WriteString("location", "unknown");
            json.WriteString("ip", c.Ip);
            json.WriteString("platform", c.Platform);
            json.WriteString("clientData", c.ClientData);
            json.WriteStartArray("publishers");
            if (c.Stream is { } stream)
            {
                WritePublisher(json, stream, webRtcStats);
            }

            json.WriteEndArray();
            json.WriteStartArray("subscribers");
            foreach ((string streamId, long createdAt) in c.Subscriptions)
            {
                json.WriteStartObject();
                json.WriteNumber("createdAt", createdAt);
                json.WriteString("streamId", streamId);
                if (webRtcStats is not null)
                {
                    json.WriteString("publisher", streamId);
                    webRtcStats.WriteWebRtcStats(MediaSubscription.EndpointIdOf(c.ConnectionId, streamId), json);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }
        else
        {
            foreach (string name in (ReadOnlySpan<string>)["activeAt", "location", "ip", "platform", "clientData", "publishers", "subscribers"])
            {
                json.WriteNull(name);
            }
        }

        json.WriteEndObject();
    }

    /// <summary>A Publisher (openvidu-protocol.md §4.6): video fields only when the stream has video.</summary>
    private static void WritePublisher(Utf8JsonWriter json, PublishedStream stream, IMediaServer? webRtcStats)
    {
        json.WriteStartObject();
        json.WriteNumber("createdAt", stream.CreatedAt);
        json.WriteString("streamId", stream.StreamId);
        json.WriteStartObject("mediaOptions");
        json.WriteBoolean("hasAudio", stream.HasAudio);
        if (stream.HasAudio)
        {
            json.WriteBoolean("audioActive", stream.AudioActive);
        }

        json.WriteBoolean("hasVideo", stream.HasVideo);
        if (stream.HasVideo)
        {
            json.WriteBoolean("videoActive", stream.VideoActive);
            json.WriteString("typeOfVideo", stream.TypeOfVideo);
            json.WriteNumber("frameRate", stream.FrameRate);
            json.WriteString("videoDimensions", stream.VideoDimensions);
        }

        json.WriteStartObject("filter");
        json.WriteEndObject();
        json.WriteEndObject();
        webRtcStats?.WriteWebRtcStats(stream.StreamId, json);
        json.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter json, string name, JsonNode? node)
    {
        json.WritePropertyName(name);
        if (node is null)
        {
            json.WriteNullValue();
        }
        else
        {
            node.WriteTo(json);
        }
    }
}
