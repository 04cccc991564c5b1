using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Parley.Stun;
using Parley.StunServer;
using Parley.Turn;
using Parley.WebRtc;

namespace Parley.Server;

/// <summary>
/// Runs the STUN server for the lifetime of the host and, unless <c>Turn:Enabled</c> is false, the TURN server on
/// the same listeners. Parley's own media address is exempt from TURN's refusal of private peers, so a relayed
/// browser always reaches the SFU.
/// </summary>
internal sealed class StunHostedService(
    IOptions<StunServerOptions> options,
    IOptions<TurnServerOptions> turnOptions,
    WebRtcServer media,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IHostedService
{
    /// <summary>Addresses used when <c>Stun:ListeningIps</c> is empty: loopback only, as every embedded default.</summary>
    private static readonly string[] DefaultListeningIps = ["127.0.0.1", "::1"];

    private StunServer.StunServer? _server;
    private TurnServer? _turn;

    public StunServer.StunServer? Server => _server;

    /// <summary>The TURN server, when it runs.</summary>
    public TurnServer? Turn => _turn;

    /// <summary>The REST API secret TURN credentials are minted with (configured, or made at start-up).</summary>
    public string? TurnSecret { get; private set; }

    public TurnServerOptions TurnOptions => turnOptions.Value;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        StunServerOptions settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        if (settings.ListeningIps.Count == 0)
        {
            foreach (string ip in DefaultListeningIps)
            {
                if (ip.Contains(':') && !System.Net.Sockets.Socket.OSSupportsIPv6)
                {
                    continue;
                }

                settings.ListeningIps.Add(ip);
            }
        }

        X509Certificate2? certificate = null;
        TurnServerOptions turn = turnOptions.Value;
        if (turn.Enabled)
        {
            if (string.IsNullOrEmpty(turn.StaticAuthSecret))
            {
                turn.StaticAuthSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            }

            TurnSecret = turn.StaticAuthSecret;
            _turn = new TurnServer(turn, CreatePolicy(settings, turn), time, loggerFactory, settings.Software);
            if (!string.IsNullOrEmpty(turn.Certificate))
            {
                certificate = X509Certificate2.CreateFromPemFile(turn.Certificate,
                    string.IsNullOrEmpty(turn.PrivateKey) ? null : turn.PrivateKey);
            }
        }

        try
        {
            _server = await Parley.StunServer.StunServer.StartAsync(settings, loggerFactory, _turn, certificate);
        }
        catch
        {
            _turn?.Dispose();
            _turn = null;
            throw;
        }
    }

    private PeerAddressPolicy CreatePolicy(StunServerOptions stun, TurnServerOptions turn)
    {
        IEnumerable<string> own = stun.ListeningIps.Concat(turn.RelayIps);
        if (!string.IsNullOrEmpty(turn.ExternalIp))
        {
            own = own.Concat(turn.ExternalIp.Split('/'));
        }

        var policy = new PeerAddressPolicy(
            turn.AllowedPeerRanges.Select(AddressRange.Parse),
            turn.DeniedPeerRanges.Select(AddressRange.Parse),
            own.Select(IPAddress.Parse).Where(ip => !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
                .Select(ip => TransportAddress.FromIPAddress(ip, 0)));

        // The SFU's candidate address (what a relayed browser sends to), and the address it is bound to.
        var exempt = new List<TransportAddress> { TransportAddress.FromIPAddress(media.AnnouncedAddress, (ushort)media.LocalEndPoint.Port) };
        if (!media.LocalEndPoint.Address.Equals(IPAddress.Any) && !media.LocalEndPoint.Address.Equals(IPAddress.IPv6Any))
        {
            exempt.Add(TransportAddress.FromIPEndPoint(media.LocalEndPoint));
        }

        policy.SetExemptEndpoints(exempt);
        return policy;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        _turn?.Dispose();
        _turn = null;
    }
}
