using Parley.Signaling.Rpc;

namespace Parley.Signaling;

/// <summary>The server-to-client notifications of openvidu-protocol.md §2, each written once and sent to every
/// recipient as the same frame.</summary>
internal static class Notifications
{
    public static byte[] ParticipantJoined(SessionConnection joined) =>
        JsonRpcFrames.Notification("participantJoined", json =>
        {
            json.WriteString("id", joined.ConnectionId);
            json.WriteNumber("createdAt", joined.ActiveAt ?? joined.CreatedAt);
            json.WriteString("metadata", joined.FullMetadata);
        });

    public static byte[] ParticipantLeft(string connectionId, string reason) =>
        JsonRpcFrames.Notification("participantLeft", json =>
        {
            json.WriteString("connectionId", connectionId);
            json.WriteString("reason", reason);
        });

    public static byte[] ParticipantEvicted(string connectionId, string reason) =>
        JsonRpcFrames.Notification("participantEvicted", json =>
        {
            json.WriteString("connectionId", connectionId);
            json.WriteString("reason", reason);
        });

    /// <summary>A participant published: its stream as joinRoom lists streams (metadata is not repeated).</summary>
    public static byte[] ParticipantPublished(string connectionId, PublishedStream stream) =>
        JsonRpcFrames.Notification("participantPublished", json =>
        {
            json.WriteString("id", connectionId);
            json.WriteStartArray("streams");
            stream.WriteTo(json);
            json.WriteEndArray();
        });

    public static byte[] ParticipantUnpublished(string connectionId, string reason) =>
        JsonRpcFrames.Notification("participantUnpublished", json =>
        {
            json.WriteString("connectionId", connectionId);
            json.WriteString("reason", reason);
        });

    /// <summary><paramref name="newValue"/> is the JSON text of what the publisher sent (openvidu-protocol.md §2.2).</summary>
    public static byte[] StreamPropertyChanged(string connectionId, string streamId, string property, string newValue, string reason) =>
        JsonRpcFrames.Notification("streamPropertyChanged", json =>
        {
            json.WriteString("connectionId", connectionId);
            json.WriteString("streamId", streamId);
            json.WriteString("property", property);
            json.WriteString("newValue", newValue);
            json.WriteString("reason", reason);
        });

    /// <summary>A change of the receiver's own connection (no connection id: it is always the local one); the
    /// browser reads <c>role</c> as a string and <c>record</c> by comparing with <c>"true"</c>.</summary>
    public static byte[] ConnectionPropertyChanged(string property, string newValue) =>
        JsonRpcFrames.Notification("connectionPropertyChanged", json =>
        {
            json.WriteString("property", property);
            json.WriteString("newValue", newValue);
        });

    /// <summary>A signal; <paramref name="from"/> is absent for signals sent by the server through REST.</summary>
    public static byte[] SendMessage(string? data, string? type, string? from) =>
        JsonRpcFrames.Notification("sendMessage", json =>
        {
            if (data is not null)
            {
                json.WriteString("data", data);
            }

            if (type is not null)
            {
                json.WriteString("type", type);
            }

            if (from is not null)
            {
                json.WriteString("from", from);
            }
        });
}
