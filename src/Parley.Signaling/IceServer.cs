namespace Parley.Signaling;

/// <summary>A STUN or TURN server for a client's RTCPeerConnection, as joinRoom's <c>customIceServers</c> lists them
/// (<c>{url, username, credential}</c>; openvidu-browser 2.32 uses only this list).</summary>
public sealed record IceServer(string Url, string? Username = null, string? Credential = null);
