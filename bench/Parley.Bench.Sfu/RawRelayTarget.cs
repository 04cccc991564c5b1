using Parley.Bench.Common;

namespace Parley.Bench.Sfu;

/// <summary>The raw relay (<see cref="RawRelayServer"/>) as a server under test: this program with <c>raw-relay</c>.</summary>
internal sealed class RawRelayTarget(BenchNetwork network, ServerRegistry servers, string logDirectory) : ISfuTarget
{
    private ServerProcess? _process;
    private System.Net.IPEndPoint? _relay;

    public string Name => "raw";

    public ServerProcess Process => _process ?? throw new InvalidOperationException("not started");

    public bool Raw => true;

    public IceRole SubscriberRole => IceRole.Controlling;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        string self = Environment.ProcessPath ?? throw new BenchmarkException("cannot tell this program's path");
        string[] arguments = self.EndsWith("dotnet", StringComparison.Ordinal)
            ? [typeof(RawRelayTarget).Assembly.Location, "raw-relay", network.ServerAddress.ToString(), network.Namespace is null ? "0" : "40000"]
            : ["raw-relay", network.ServerAddress.ToString(), network.Namespace is null ? "0" : "40000"];
        var launch = new ServerLaunch(self, arguments, AppContext.BaseDirectory);
        _process = servers.Start(Name, network.Wrap(launch), Path.Combine(logDirectory, "raw.log"));
        Uri listening = await _process.WaitUntilListeningAsync(TimeSpan.FromSeconds(20), cancellationToken);
        _relay = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(listening.Host), listening.Port);
    }

    public Task<Publication> PublishAsync(LoadPeer peer, int index, uint ssrc, CancellationToken cancellationToken)
    {
        peer.SetRemote(new RemoteTransport("-", "-", "-", _relay!));
        return Task.FromResult(new Publication(index, index.ToString(System.Globalization.CultureInfo.InvariantCulture), PeerSdp.Vp8PayloadType));
    }

    public Task SubscribeAsync(LoadPeer peer, Publication publication, CancellationToken cancellationToken)
    {
        peer.SetRemote(new RemoteTransport("-", "-", "-", _relay!));
        return Task.CompletedTask;
    }

    public Task<long?> AllocatedBytesAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public byte[] Registration(bool publisher, int publication) => RawRelayServer.Registration(publisher, publication);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
