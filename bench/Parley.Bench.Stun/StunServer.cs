using System.Net;
using Parley.Bench.Common;

namespace Parley.Bench.Stun;

/// <summary>A STUN server under test: its process, and where it listens for STUN over UDP.</summary>
internal sealed class StunServer(ServerProcess process, IPEndPoint endPoint)
{
    public ServerProcess Process { get; } = process;

    public IPEndPoint EndPoint { get; } = endPoint;

    public string Name => Process.Name;

    /// <summary>
    /// Sends Binding requests until one is answered correctly. Fails at once when the process exits or answers
    /// wrongly, and after <paramref name="timeout"/> when nothing answers.
    /// </summary>
    public Task<TimeSpan> WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        StunReadinessProbe.WaitUntilAnsweringAsync(Process, EndPoint, timeout,
            (answer, expected) => StunWire.CheckBindingResponse(answer.Raw, expected, out _, out _) is { } fault
                ? StunWire.Describe(fault)
                : null,
            cancellationToken);
}
