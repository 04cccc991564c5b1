using System.Net;

namespace Parley.Turn.Tests;

/// <summary>
/// What the relaying tests start from: a TURN server on loopback, a UDP client holding an allocation, and a plain UDP
/// socket as the peer. <see cref="Configure"/> sets the server's options.
/// </summary>
public abstract class AllocatedClientFixture : IAsyncLifetime
{
    private protected TurnHarness Turn { get; private set; } = null!;

    private protected TurnTestClient Client { get; private set; } = null!;

    private protected UdpPeer Peer { get; private set; } = null!;

    private protected abstract void Configure(TurnServerOptions options);

    public async Task InitializeAsync()
    {
        Turn = await TurnHarness.StartAsync(Configure);
        Client = Turn.UdpClient();
        await Client.AllocateOkAsync();
        Peer = new UdpPeer(IPAddress.Loopback);
    }

    public async Task DisposeAsync()
    {
        Peer.Dispose();
        Client.Dispose();
        await Turn.DisposeAsync();
    }
}
