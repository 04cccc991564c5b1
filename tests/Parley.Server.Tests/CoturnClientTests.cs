using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Tests;

/// <summary>coturn's own STUN clients against the Parley executable.</summary>
public sealed class CoturnClientTests
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Turnutils_stunclient_learns_its_reflexive_address_from_parley(string ip)
    {
        await using ParleyProcess parley = await ParleyProcess.StartAsync("--Stun:ListeningIps:0=" + ip);
        IPEndPoint stun = Assert.Single(parley.StunUdp);

        (int exit, string output) = await ExternalTool.RunAsync("turnutils_stunclient", ToolTimeout,
            "-p", stun.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ip);

        Assert.True(exit == 0, output);
        string family = stun.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
        Assert.Matches($@"{family}\. UDP reflexive addr: {Regex(ip)}:\d+", output);
    }

    [Fact]
    public async Task Turnutils_natdiscovery_runs_rfc_5780_mapping_and_filtering_discovery_against_parley()
    {
        await using ParleyProcess parley = await ParleyProcess.StartAsync(
            "--Stun:ListeningIps:0=127.0.0.1", "--Stun:AlternateIp=127.0.0.2", "--Stun:AlternatePort=0", "--Stun:TcpEnabled=false");
        Assert.Equal(4, parley.StunUdp.Count);
        IPEndPoint primary = parley.StunUdp[0];
        IPEndPoint alternate = parley.StunUdp[^1];
        Assert.Equal(IPAddress.Parse("127.0.0.2"), alternate.Address);

        (int exit, string output) = await ExternalTool.RunAsync("turnutils_natdiscovery", ToolTimeout,
            "-m", "-f", "-P", "-p", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1");

        Assert.True(exit == 0, output);
        // On loopback there is no NAT: the client must see the server's other address and conclude both
        // endpoint-independent mapping and endpoint-independent filtering, which needs every CHANGE-REQUEST answered
        // from the socket it named.
        Assert.Contains($"Other addr: : {alternate}", output);
        Assert.Contains($"Response origin: : {alternate}", output);
        Assert.Contains("NAT with Endpoint Independent Mapping!", output);
        Assert.Contains("NAT with Endpoint Independent Filtering!", output);
    }

    private static string Regex(string ip) => System.Text.RegularExpressions.Regex.Escape(ip);
}
