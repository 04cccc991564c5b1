using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Server.Tests;

/// <summary>The executable as a user starts it: HTTP health, JSON errors, STUN over UDP and TCP.</summary>
public sealed class HostTests : IAsyncLifetime
{
    private ParleyProcess _parley = null!;

    public async Task InitializeAsync() => _parley = await ParleyProcess.StartAsync();

    public async Task DisposeAsync() => await _parley.DisposeAsync();

    [Fact]
    public async Task Health_answers_up()
    {
        using var http = new HttpClient { BaseAddress = _parley.HttpAddress };
        using HttpResponseMessage response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("UP", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unknown_path_gets_404_with_a_json_body()
    {
        using var http = new HttpClient { BaseAddress = _parley.HttpAddress };
        using HttpResponseMessage response = await http.GetAsync(new Uri("/no/such/thing", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("/no/such/thing", body.RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public void By_default_stun_listens_on_loopback_only_over_udp_and_tcp()
    {
        Assert.NotEmpty(_parley.StunUdp);
        Assert.All(_parley.StunUdp, e => Assert.True(IPAddress.IsLoopback(e.Address)));
        Assert.Equal(_parley.StunUdp.Select(e => e.ToString()), _parley.StunTcp.Select(e => e.ToString()));
    }

    [Fact]
    public async Task A_binding_request_over_tcp_is_answered_with_the_clients_address()
    {
        IPEndPoint stun = _parley.StunTcp.First(e => e.AddressFamily == AddressFamily.InterNetwork);
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(stun);
        byte[] request = new byte[28];
        var builder = new StunMessageBuilder(request, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.AddFingerprint();
        await client.GetStream().WriteAsync(request);

        byte[] header = new byte[20];
        await client.GetStream().ReadExactlyAsync(header);
        byte[] body = new byte[(header[2] << 8) | header[3]];
        await client.GetStream().ReadExactlyAsync(body);
        Assert.True(StunMessage.TryParse((byte[])[.. header, .. body], out StunMessage response));
        Assert.True(response.TryGet(out XorMappedAddress mapped));
        Assert.Equal(client.Client.LocalEndPoint, mapped.Address.ToIPEndPoint());
    }
}

/// <summary>Security by default: OpenVidu's well-known development secret stays on loopback.</summary>
public sealed class DefaultSecretTests
{
    [Fact]
    public async Task The_default_secret_on_a_public_address_stops_the_server_with_an_explanation()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ParleyProcess.StartAsync("--urls", "http://0.0.0.0:0"));
        Assert.Contains("Refusing to listen on http://0.0.0.0:0 with the default secret MY_SECRET", error.Message);
    }

    [Fact]
    public async Task A_secret_of_ones_own_may_listen_anywhere()
    {
        await using ParleyProcess parley = await ParleyProcess.StartAsync("--urls", "http://0.0.0.0:0", "--OpenVidu:Secret=s3cret-of-mine");
        Assert.NotNull(parley.HttpAddress);
    }
}
