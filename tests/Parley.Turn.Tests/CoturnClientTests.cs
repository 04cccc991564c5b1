using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Parley.Turn.Tests;

/// <summary>A fact that is skipped, with the reason, only when coturn's client tools are not installed (CI installs
/// Debian's coturn package).</summary>
public sealed class CoturnFactAttribute : FactAttribute
{
    public CoturnFactAttribute()
    {
        if (ExternalProcess.FindOnPath("turnutils_uclient") is null || ExternalProcess.FindOnPath("turnutils_peer") is null)
        {
            Skip = "turnutils_uclient/turnutils_peer are not on PATH: install Debian's coturn package (apt-get install coturn).";
        }
    }
}

/// <summary>
/// coturn's own load client, turnutils_uclient, against an in-process server with REST API credentials: 3 clients
/// (uclient pairs them into sessions), 40 messages of 170 bytes each, to turnutils_peer (an echo peer) on 127.0.0.1
/// or ::1, or client to client (over UDP relays, or RFC 6062 TCP relays with -T); every message must come back. Each variant is its own class so that they run side
/// by side (uclient paces its messages and takes about 5 s).
/// </summary>
internal static partial class TurnutilsUclient
{
    private const int Messages = 40;
    private const int Clients = 3;
    private const int MessageLength = 170;

    public static async Task RunAsync(params string[] flags)
    {
        var log = new CountingLoggerProvider(keepAll: true);
        await using TurnHarness turn = await TurnHarness.StartAsync(o =>
        {
            o.AllowedPeerRanges.Add("127.0.0.0/8");
            o.AllowedPeerRanges.Add("::1/128");
            o.RelayIps.Add("127.0.0.1");
            o.RelayIps.Add("::1");
            o.Users.Add("alice:wonderland");
        }, time: TimeProvider.System, loggers: log); // uclient mints its REST username from the real clock
        IPAddress peerIp = flags.Contains("-x") ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        int peerPort = FreeUdpPort(peerIp);
        await using ExternalProcess peer = ExternalProcess.Start("turnutils_peer", "-L", peerIp.ToString(),
            "-p", peerPort.ToString(CultureInfo.InvariantCulture));
        await Eventually.TrueAsync(() => !RelayPorts.IsUdpPortFree(peerPort, peerIp) || peer.HasExited, "turnutils_peer is listening");
        Assert.False(peer.HasExited, $"turnutils_peer exited: {peer.Output}");
        string variant = string.Join(' ', flags);

        string[] arguments =
        [
            "60", "turnutils_uclient",
            // REST API credentials from the secret, unless the variant names a static user (-u name -w password)
            .. flags.Contains("-w") ? Array.Empty<string>() : ["-W", TurnHarness.Secret, "-u", "someuser"],
            "-p", turn.UdpEndPoint().Port.ToString(CultureInfo.InvariantCulture),
            "-e", peerIp.ToString(), "-r", peerPort.ToString(CultureInfo.InvariantCulture),
            "-n", Messages.ToString(CultureInfo.InvariantCulture), "-m", Clients.ToString(CultureInfo.InvariantCulture),
            "-l", MessageLength.ToString(CultureInfo.InvariantCulture), .. flags, "127.0.0.1",
        ];
        string output;
        await using (ExternalProcess client = ExternalProcess.Start("timeout", arguments))
        {
            Assert.True(await client.WaitForExitAsync(TimeSpan.FromSeconds(70)),
                $"uclient {variant} still runs\n{client.Output}\nServer log:\n{log.FullReport}");
            output = client.Output;
            Assert.True(client.ExitCode == 0,
                $"uclient {variant} exited with {client.ExitCode}\n{output}\nServer log:\n{log.FullReport}");
        }

        Match totals = TotalsLine().Matches(output).LastOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"uclient {variant} printed no totals\n{output}");
        const int Expected = 4 * Messages; // uclient's count for -m 3 (its sessions come in pairs)
        Assert.True(totals.Groups[1].Value == Expected.ToString(CultureInfo.InvariantCulture)
            && totals.Groups[2].Value == Expected.ToString(CultureInfo.InvariantCulture),
            $"uclient {variant}: expected tot_send_msgs={Expected}, tot_recv_msgs={Expected}\n{output}");
        Assert.True(NothingLost().IsMatch(output), $"uclient {variant} lost packets\n{output}");
        // (bytes, not packets: a TCP relay counts reads, and the stream may join messages)
        Assert.True(turn.Counters.BytesRelayedOut >= Expected * MessageLength, $"{turn.Counters.BytesRelayedOut} bytes relayed");
        Assert.True(log.Warnings == 0, log.Report);
        if (flags.Contains("-t") || flags.Contains("-T"))
        {
            await Eventually.TrueAsync(() => turn.Turn.AllocationCount == 0, "uclient's allocations end with its TCP connections");
        }
    }

    [GeneratedRegex(@"tot_send_msgs=(\d+), tot_recv_msgs=(\d+)")]
    private static partial Regex TotalsLine();

    [GeneratedRegex(@"Total lost packets 0 \(")]
    private static partial Regex NothingLost();

    private static int FreeUdpPort(IPAddress ip)
    {
        using var socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(ip, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}

public sealed class CoturnUdpChannelTests
{
    [CoturnFact]
    public Task Turnutils_uclient_over_udp_with_channels_gets_every_message_back() => TurnutilsUclient.RunAsync();
}

public sealed class CoturnStaticUserTests
{
    [CoturnFact]
    public Task Turnutils_uclient_with_a_static_user_and_password_gets_every_message_back() =>
        TurnutilsUclient.RunAsync("-u", "alice", "-w", "wonderland");
}

public sealed class CoturnTcpChannelTests
{
    [CoturnFact]
    public Task Turnutils_uclient_over_tcp_with_channels_gets_every_message_back() => TurnutilsUclient.RunAsync("-t");
}

public sealed class CoturnUdpSendIndicationTests
{
    [CoturnFact]
    public Task Turnutils_uclient_over_udp_with_send_indications_gets_every_message_back() => TurnutilsUclient.RunAsync("-s");
}

public sealed class CoturnTcpSendIndicationTests
{
    [CoturnFact]
    public Task Turnutils_uclient_over_tcp_with_send_indications_gets_every_message_back() => TurnutilsUclient.RunAsync("-t", "-s");
}

public sealed class CoturnClientToClientTests
{
    [CoturnFact]
    public Task Turnutils_uclient_client_to_client_through_two_relays_gets_every_message_back() => TurnutilsUclient.RunAsync("-y");
}

public sealed class CoturnIpv6RelayTests
{
    [CoturnFact]
    public Task Turnutils_uclient_with_an_ipv6_relay_to_an_ipv6_peer_gets_every_message_back() => TurnutilsUclient.RunAsync("-x");
}

public sealed class CoturnTcpRelayTests
{
    [CoturnFact]
    public Task Turnutils_uclient_with_tcp_relays_rfc_6062_gets_every_message_back() => TurnutilsUclient.RunAsync("-T");
}
