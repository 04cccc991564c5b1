using Parley.WebRtc;

namespace Parley.Server;

/// <summary>Starts the media port with the host (resolving the server opens it) and runs its consent sweep once a
/// second; the container disposes the server at shutdown.</summary>
internal sealed class WebRtcHostedService(WebRtcServer server, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                server.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
