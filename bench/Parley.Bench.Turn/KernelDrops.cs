using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>
/// Datagrams the kernel dropped (a full receive buffer, mostly) on the sockets of one run, from /proc/net/udp: the
/// server's listening socket(s), its relay sockets, the echo peer's and the clients'. Where packets were lost, when
/// they were.
/// </summary>
internal sealed record KernelDrops(long Server, long Relay, long Peer, long Clients)
{
    public static KernelDrops Read(int serverPort, IEnumerable<int> relayPorts, IEnumerable<int> peerPorts,
        IEnumerable<int> clientPorts) => new(
        ProcStats.ReadUdpDrops(serverPort),
        relayPorts.Sum(ProcStats.ReadUdpDrops),
        peerPorts.Sum(ProcStats.ReadUdpDrops),
        clientPorts.Sum(ProcStats.ReadUdpDrops));

    public static KernelDrops operator -(KernelDrops a, KernelDrops b) =>
        new(a.Server - b.Server, a.Relay - b.Relay, a.Peer - b.Peer, a.Clients - b.Clients);
}
