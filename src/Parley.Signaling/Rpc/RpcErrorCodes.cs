namespace Parley.Signaling.Rpc;

/// <summary>The <c>error.code</c> values of OpenVidu's JSON-RPC errors (openvidu-protocol.md §1.7) and the JSON-RPC 2.0
/// standard ones. openvidu-browser reacts to 401 (permission denied) and 40007 (reconnection error).</summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;

    public const int UserGeneric = 10;
    public const int UserNotFound = 102;
    public const int ExistingUserInRoom = 104;
    public const int UserNotStreaming = 105;
    public const int UserAlreadyStreaming = 106;
    public const int RoomNotFound = 202;
    public const int RoomClosed = 203;
    public const int MediaGeneric = 301;
    public const int MediaSdp = 302;
    public const int UserUnauthorized = 401;
    public const int FilterNotApplied = 406;
    public const int SignalFormatInvalid = 600;
    public const int SignalToInvalid = 601;
    public const int TransportError = 803;
    public const int WrongOpenViduEdition = 997;
    public const int ReconnectionError = 40007;
}
