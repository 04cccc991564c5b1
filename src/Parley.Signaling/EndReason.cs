namespace Parley.Signaling;

/// <summary>Why a participant, stream or session ended: the <c>reason</c> strings of OpenVidu's notifications and
/// webhooks (openvidu-protocol.md §2.1).</summary>
public static class EndReason
{
    public const string Disconnect = "disconnect";
    public const string Unpublish = "unpublish";
    public const string Unsubscribe = "unsubscribe";
    public const string ForceDisconnectByUser = "forceDisconnectByUser";
    public const string ForceDisconnectByServer = "forceDisconnectByServer";
    public const string ForceUnpublishByUser = "forceUnpublishByUser";
    public const string ForceUnpublishByServer = "forceUnpublishByServer";
    public const string SessionClosedByServer = "sessionClosedByServer";
    public const string LastParticipantLeft = "lastParticipantLeft";
    public const string NetworkDisconnect = "networkDisconnect";
    public const string OpenViduServerStopped = "openviduServerStopped";
    public const string AutomaticStop = "automaticStop";
}
