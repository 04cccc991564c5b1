namespace Parley.Signaling;

/// <summary>The ICE servers a joining participant is given when its connection names none (the host offers its own
/// STUN, and TURN with per-participant credentials).</summary>
public interface IIceServerProvider
{
    /// <param name="connection">The joining connection.</param>
    /// <param name="publicHost">The host name or address clients reach this server at.</param>
    IReadOnlyList<IceServer> GetIceServers(SessionConnection connection, string publicHost);
}
