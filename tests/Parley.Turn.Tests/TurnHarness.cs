using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Stun;
using Parley.StunServer;

namespace Parley.Turn.Tests;

/// <summary>
/// An in-process TURN server on real loopback sockets: the STUN listeners (UDP and TCP, ports chosen by the kernel)
/// with the <see cref="TurnServer"/> as their extension, a relay port block of its own, a fake clock by default, and
/// the peer policy built as the host builds it (allow and deny lists, own addresses).
/// </summary>
internal sealed class TurnHarness : IAsyncDisposable
{
    public const string Realm = "parley.test";
    public const string Secret = "rest-api-secret";

    /// <summary>Static users (Turn:Users).</summary>
    public const string StaticUser = "bob";
    public const string StaticPassword = "hunter2";
    public const string OtherStaticUser = "carol";
    public const string OtherStaticPassword = "correct horse";

    public static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly RelayPorts _ports;
    private readonly FakeTimeProvider? _clock;

    private TurnHarness(RelayPorts ports, FakeTimeProvider? clock, TimeProvider time, TurnServerOptions options,
        TurnServer turn, Parley.StunServer.StunServer stun, CountingLoggerProvider log)
    {
        _ports = ports;
        _clock = clock;
        Time = time;
        Options = options;
        Turn = turn;
        Stun = stun;
        Log = log;
    }

    public TimeProvider Time { get; }

    /// <summary>The fake clock (the default); advance it with <see cref="Advance"/>.</summary>
    public FakeTimeProvider Clock => _clock ?? throw new InvalidOperationException("This harness runs on real time.");

    public TurnServerOptions Options { get; }

    public TurnServer Turn { get; }

    public Parley.StunServer.StunServer Stun { get; }

    public CountingLoggerProvider Log { get; }

    public RelayPorts RelayPorts => _ports;

    public TurnCounters Counters => Turn.Counters;

    /// <param name="configure">Changes to the TURN options (realm, secret, users and relay range are set first).</param>
    /// <param name="ipv6">Listen on ::1 as well as 127.0.0.1.</param>
    /// <param name="time">The clock; a <see cref="FakeTimeProvider"/> at <see cref="Epoch"/> when null.</param>
    /// <param name="loggers">Where logs go; a <see cref="CountingLoggerProvider"/> (see <see cref="Log"/>) when null.</param>
    /// <param name="ownAddresses">More of the server's own addresses for the peer policy (as an external IP would be).</param>
    /// <param name="configureStun">Changes to the STUN listener options.</param>
    public static async Task<TurnHarness> StartAsync(Action<TurnServerOptions>? configure = null, bool ipv6 = false,
        TimeProvider? time = null, ILoggerFactory? loggers = null, IEnumerable<IPAddress>? ownAddresses = null,
        Action<StunServerOptions>? configureStun = null)
    {
        RelayPorts ports = RelayPorts.Lease();
        var options = new TurnServerOptions
        {
            Realm = Realm,
            StaticAuthSecret = Secret,
            MinPort = ports.Min,
            MaxPort = ports.Max,
        };
        options.Users.Add($"{StaticUser}:{StaticPassword}");
        options.Users.Add($"{OtherStaticUser}:{OtherStaticPassword}");
        configure?.Invoke(options);

        var stunOptions = new StunServerOptions { ListeningPort = 0, UdpThreadsPerSocket = 2, TcpIdleTimeout = TimeSpan.FromSeconds(10) };
        stunOptions.ListeningIps.Add("127.0.0.1");
        if (ipv6)
        {
            stunOptions.ListeningIps.Add("::1");
        }

        configureStun?.Invoke(stunOptions);

        FakeTimeProvider? clock = time is null ? new FakeTimeProvider(Epoch) : null;
        TimeProvider clockInUse = time ?? clock!;
        var log = new CountingLoggerProvider();
        ILoggerFactory factory = loggers ?? log;
        var turn = new TurnServer(options, CreatePolicy(stunOptions, options, ownAddresses ?? []), clockInUse, factory);
        try
        {
            Parley.StunServer.StunServer stun = await Parley.StunServer.StunServer.StartAsync(stunOptions, factory, turn);
            return new TurnHarness(ports, clock, clockInUse, options, turn, stun, log);
        }
        catch
        {
            turn.Dispose();
            ports.Dispose();
            throw;
        }
    }

    /// <summary>The policy as Parley's host builds it: the allow and deny lists, and the listening, relay and
    /// external addresses as the server's own.</summary>
    private static PeerAddressPolicy CreatePolicy(StunServerOptions stun, TurnServerOptions turn, IEnumerable<IPAddress> extra)
    {
        IEnumerable<string> own = stun.ListeningIps.Concat(turn.RelayIps);
        if (!string.IsNullOrEmpty(turn.ExternalIp))
        {
            own = own.Concat(turn.ExternalIp.Split('/'));
        }

        return new PeerAddressPolicy(
            turn.AllowedPeerRanges.Select(AddressRange.Parse),
            turn.DeniedPeerRanges.Select(AddressRange.Parse),
            own.Select(IPAddress.Parse).Concat(extra).Select(ip => TransportAddress.FromIPAddress(ip, 0)));
    }

    public IPEndPoint UdpEndPoint(AddressFamily family = AddressFamily.InterNetwork) =>
        Stun.UdpEndPoints.First(e => e.AddressFamily == family);

    public IPEndPoint TcpEndPoint(AddressFamily family = AddressFamily.InterNetwork) =>
        Stun.TcpEndPoints.First(e => e.AddressFamily == family);

    /// <summary>coturn REST API credentials minted as a signaling server would, by hand: username
    /// <c>"&lt;unix-expiry&gt;:user"</c>, password <c>base64(HMAC-SHA1(secret, username))</c>.</summary>
    public (string Username, string Password) RestCredentials(string user, TimeSpan? validFor = null)
    {
        long expiry = (Time.GetUtcNow() + (validFor ?? TimeSpan.FromDays(1))).ToUnixTimeSeconds();
        string username = expiry.ToString(CultureInfo.InvariantCulture) + ":" + user;
        string password = Convert.ToBase64String(
            HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(username)));
        return (username, password);
    }

    /// <summary>A UDP client on 127.0.0.1 (or <paramref name="local"/>) with REST credentials for <paramref name="user"/>.</summary>
    public TurnTestClient UdpClient(string user = "alice", IPAddress? local = null,
        AddressFamily family = AddressFamily.InterNetwork)
    {
        TurnTestClient client = TurnTestClient.Udp(UdpEndPoint(family), local);
        (client.Username, client.Password) = RestCredentials(user);
        return client;
    }

    /// <summary>A TCP client connected to the listener, with REST credentials for <paramref name="user"/>.</summary>
    public async Task<TurnTestClient> TcpClientAsync(string user = "alice")
    {
        TurnTestClient client = await TurnTestClient.TcpAsync(TcpEndPoint());
        (client.Username, client.Password) = RestCredentials(user);
        return client;
    }

    /// <summary>Moves the fake clock on and runs the sweep, as its 1 s timer would.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        Turn.Sweep();
    }

    public async ValueTask DisposeAsync()
    {
        await Stun.DisposeAsync();
        Turn.Dispose();
        _ports.Dispose();
    }
}
