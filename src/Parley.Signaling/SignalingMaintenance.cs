using Microsoft.Extensions.Hosting;

namespace Parley.Signaling;

/// <summary>Runs <see cref="SignalingService.Sweep"/> every second: keep-alive watchdog, reconnection window,
/// eviction grace and session garbage collection.</summary>
internal sealed class SignalingMaintenance(SignalingService signaling, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                signaling.Sweep(time.GetUtcNow().ToUnixTimeMilliseconds());
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
