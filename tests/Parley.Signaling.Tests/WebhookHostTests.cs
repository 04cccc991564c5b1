using Parley.Signaling.Media;

namespace Parley.Signaling.Tests;

/// <summary>A signalling host whose webhook posts to a real receiver: each webhook test class gives the settings it
/// tests (the endpoint is filled in) and, when media events matter, a media server.</summary>
public abstract class WebhookHostTests(Action<SignalingOptions> configure, IMediaServer? media = null) : IAsyncLifetime
{
    internal WebhookReceiver Receiver { get; private set; } = null!;

    internal SignalingHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Host = await SignalingHost.StartAsync(o =>
        {
            o.Webhook = true;
            o.WebhookEndpoint = Receiver.Url;
            configure(o);
        }, media);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
