using System.Net;
using Parley.Bench.Common;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Bench.Turn;

/// <summary>
/// A TURN server under test: its process, where it listens (STUN and TURN over UDP), the relay ports it was given,
/// and the shared secret and realm its clients' credentials are made for.
/// </summary>
internal sealed class ServerUnderTest(ServerProcess process, IPEndPoint endPoint, PortRange relayPorts, string secret,
    string realm)
{
    public ServerProcess Process { get; } = process;

    public string Name => Process.Name;

    public IPEndPoint EndPoint { get; } = endPoint;

    public PortRange RelayPorts { get; } = relayPorts;

    public string Secret { get; } = secret;

    public string Realm { get; } = realm;

    /// <summary>
    /// Sends Binding requests until one is answered with a Binding success from <see cref="EndPoint"/>; returns how
    /// long that took. Fails when the process exits first, or nothing answers within <paramref name="timeout"/>.
    /// </summary>
    public Task<TimeSpan> WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        StunReadinessProbe.WaitUntilAnsweringAsync(Process, EndPoint, timeout,
            (answer, _) => answer.Type == StunMessageType.BindingSuccess && answer.TryGet(out XorMappedAddress _)
                ? null
                : $"{answer.Type}, not a Binding success with XOR-MAPPED-ADDRESS",
            cancellationToken);
}
