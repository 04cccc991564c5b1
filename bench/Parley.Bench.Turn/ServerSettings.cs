using System.Globalization;
using System.Net;

namespace Parley.Bench.Turn;

/// <summary>
/// What a TURN server under test is given: its UDP port on 127.0.0.1 (STUN and TURN), a free HTTP port (Parley's),
/// its relay port range, the shared secret of the REST API credentials and the realm, and a scratch directory.
/// </summary>
internal sealed record ServerSettings(int Port, int HttpPort, PortRange RelayPorts, string Secret, string Realm,
    string ScratchDirectory)
{
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Fills in {port}, {http}, {dir}, {secret}, {realm}, {min-port} and {max-port}.</summary>
    public string Expand(string argument) => argument
        .Replace("{port}", Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{http}", HttpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{dir}", ScratchDirectory, StringComparison.Ordinal)
        .Replace("{secret}", Secret, StringComparison.Ordinal)
        .Replace("{realm}", Realm, StringComparison.Ordinal)
        .Replace("{min-port}", RelayPorts.Min.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{max-port}", RelayPorts.Max.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
