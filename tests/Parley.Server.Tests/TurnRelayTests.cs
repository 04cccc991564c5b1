using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Parley.Server.Tests;

/// <summary>coturn's own TURN client against the Parley executable, and what the metrics endpoint then shows.</summary>
public sealed partial class TurnRelayTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Turnutils_uclient_relays_through_parley_and_the_metrics_count_it()
    {
        int peerPort = FreeUdpPort();
        using PeerProcess peer = StartPeer(peerPort);
        await using ParleyProcess parley = await ParleyProcess.StartAsync("--Stun:ListeningIps:0=127.0.0.1",
            "--Turn:StaticAuthSecret=S", "--Turn:Realm=parley.local", "--Turn:AllowedPeerRanges:0=127.0.0.0/8");
        IPEndPoint turn = Assert.Single(parley.StunUdp);

        (int exit, string output) = await ExternalTool.RunAsync("turnutils_uclient", ClientTimeout, "-W", "S", "-u", "someuser",
            "-p", Port(turn.Port), "-e", "127.0.0.1", "-r", Port(peerPort), "-n", "40", "-m", "3", "-l", "170", "127.0.0.1");

        Assert.True(exit == 0, output);
        Assert.Contains("tot_send_msgs=160, tot_recv_msgs=160", output);
        Assert.Contains("Total lost packets 0 (0.000000%)", output);

        using var http = new HttpClient { BaseAddress = parley.HttpAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("OPENVIDUAPP:MY_SECRET"u8));
        string metrics = await http.GetStringAsync("/metrics");
        Assert.True(Sample(metrics, "parley_turn_allocations_created_total") >= 6, metrics); // 3 clients x RTP and RTCP
        Assert.True(Sample(metrics, "parley_turn_relayed_packets_total{direction=\"out\"}") >= 160, metrics);
        Assert.True(Sample(metrics, "parley_turn_relayed_packets_total{direction=\"in\"}") >= 160, metrics);
        Assert.True(Sample(metrics, "parley_turn_channels_bound_total") >= 3, metrics);
        Assert.Equal(0, Sample(metrics, "parley_sessions"));
        Assert.Equal(0, Sample(metrics, "parley_media_packets_total{direction=\"in\"}")); // no call on the media port
        Assert.True(Sample(metrics, "parley_dotnet_allocated_bytes_total") > 0, metrics);
    }

    [Theory]
    [InlineData("TLS", new[] { "-t", "-S" })]
    [InlineData("TCP relay (RFC 6062) over TCP", new[] { "-T" })]
    [InlineData("TCP relay (RFC 6062) over TLS", new[] { "-T", "-S" })]
    public async Task Turnutils_uclient_relays_over_tls_and_tcp_allocations(string name, string[] flags)
    {
        string directory = Directory.CreateTempSubdirectory("parley-turn-tls-").FullName;
        try
        {
            string certificate = Path.Combine(directory, "cert.pem");
            string key = Path.Combine(directory, "key.pem");
            (int made, string openssl) = await ExternalTool.RunAsync("openssl", TimeSpan.FromSeconds(20), "req", "-x509",
                "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-keyout", key, "-out", certificate, "-days", "1",
                "-nodes", "-subj", "/CN=localhost");
            Assert.True(made == 0, openssl);
            int peerPort = FreeUdpPort();
            using PeerProcess peer = StartPeer(peerPort);
            await using ParleyProcess parley = await ParleyProcess.StartAsync("--Stun:ListeningIps:0=127.0.0.1",
                "--Stun:TlsListeningPort=0", "--Turn:StaticAuthSecret=S", "--Turn:Realm=parley.local",
                "--Turn:AllowedPeerRanges:0=127.0.0.0/8", "--Turn:Certificate=" + certificate, "--Turn:PrivateKey=" + key);
            int port = flags.Contains("-S")
                ? TlsPort(parley.Output)
                : Assert.Single(parley.StunUdp).Port;

            (int exit, string output) = await ExternalTool.RunAsync("turnutils_uclient", ClientTimeout,
                [.. flags, "-W", "S", "-u", "someuser", "-p", Port(port), "-e", "127.0.0.1", "-r", Port(peerPort),
                "-n", "40", "-m", "3", "-l", "170", "127.0.0.1"]);

            Assert.True(exit == 0, output);
            Assert.True(output.Contains("tot_send_msgs=160, tot_recv_msgs=160", StringComparison.Ordinal), $"{name}:\n{output}");
            Assert.Contains("Total lost packets 0 (0.000000%)", output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task By_default_the_relay_refuses_a_loopback_peer()
    {
        int peerPort = FreeUdpPort();
        using PeerProcess peer = StartPeer(peerPort);
        await using ParleyProcess parley = await ParleyProcess.StartAsync("--Stun:ListeningIps:0=127.0.0.1",
            "--Turn:StaticAuthSecret=S", "--Turn:Realm=parley.local");
        IPEndPoint turn = Assert.Single(parley.StunUdp);

        (_, string output) = await ExternalTool.RunAsync("turnutils_uclient", ClientTimeout, "-W", "S", "-u", "someuser",
            "-p", Port(turn.Port), "-e", "127.0.0.1", "-r", Port(peerPort), "-n", "5", "-m", "1", "-l", "170", "127.0.0.1");

        // The client's permission for 127.0.0.1 is refused (403), so nothing it sends is relayed.
        Assert.Contains("tot_send_msgs=10, tot_recv_msgs=0", output);
        Assert.Contains("Total lost packets 10 (100.000000%)", output);
    }

    private static PeerProcess StartPeer(int port)
    {
        var info = new ProcessStartInfo("turnutils_peer") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-L", "127.0.0.1", "-p", Port(port) })
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return new PeerProcess(Process.Start(info)!);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("turnutils_peer is not installed: `apt-get install -y coturn` (bash .ci/run installs it).");
            throw;
        }
    }

    /// <summary>The TLS port from the server's start-up log ("STUN listening on TLS 127.0.0.1:port").</summary>
    private static int TlsPort(string output)
    {
        Match match = Regex.Match(output, @"STUN listening on TLS 127\.0\.0\.1:(\d+)");
        Assert.True(match.Success, output);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static long Sample(string metrics, string name)
    {
        Match match = Regex.Match(metrics, "^" + Regex.Escape(name) + @" (\d+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{name} is missing:\n{metrics}");
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>turnutils_peer, an echo server; killed when the test's <c>using</c> ends, whatever happened.</summary>
    private sealed class PeerProcess(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            process.Dispose();
        }
    }
}
