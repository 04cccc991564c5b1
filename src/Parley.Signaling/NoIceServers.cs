namespace Parley.Signaling;

/// <summary>No ICE servers of the server's own: clients get only those their connection was created with.</summary>
internal sealed class NoIceServers : IIceServerProvider
{
    public IReadOnlyList<IceServer> GetIceServers(SessionConnection connection, string publicHost) => [];
}
