using Parley.Stun;

namespace Parley.WebRtc.Ice;

/// <summary>What the ICE-lite responder needs of a transport: its credentials, and to hear of valid checks.</summary>
public interface IIceLiteEndpoint
{
    IceCredentials LocalCredentials { get; }

    /// <summary>The remote fragment from the peer's SDP, when known: checks must carry <c>local:remote</c>.</summary>
    string? RemoteUfrag { get; }

    /// <summary>A check with valid credentials arrived from <paramref name="from"/>; <paramref name="nominated"/>
    /// when it carried USE-CANDIDATE (the controlling peer picks this pair).</summary>
    void OnValidCheck(TransportAddress from, bool nominated);
}
