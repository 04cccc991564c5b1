namespace Parley.Signaling;

/// <summary>The event names of OpenVidu's webhook (openvidu-protocol.md §6) that this server emits.</summary>
public static class WebhookEvent
{
    public const string SessionCreated = "sessionCreated";
    public const string SessionDestroyed = "sessionDestroyed";
    public const string ParticipantJoined = "participantJoined";
    public const string ParticipantLeft = "participantLeft";
    public const string SignalSent = "signalSent";
    public const string WebRtcConnectionCreated = "webrtcConnectionCreated";
    public const string WebRtcConnectionDestroyed = "webrtcConnectionDestroyed";
}
