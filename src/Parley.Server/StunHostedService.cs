using Microsoft.Extensions.Options;
using Parley.StunServer;

namespace Parley.Server;

/// <summary>Runs the STUN server for the lifetime of the host.</summary>
internal sealed class StunHostedService(IOptions<StunServerOptions> options, ILoggerFactory loggerFactory) : IHostedService
{
    /// <summary>Addresses used when <c>Stun:ListeningIps</c> is empty: loopback only, as every embedded default.</summary>
    private static readonly string[] DefaultListeningIps = ["127.0.0.1", "::1"];

    private StunServer.StunServer? _server;

    public StunServer.StunServer? Server => _server;

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

        _server = await Parley.StunServer.StunServer.StartAsync(settings, loggerFactory);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }
}
