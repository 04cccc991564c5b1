using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Parley.Sfu.Negotiation;
using Parley.WebRtc;

namespace Parley.Sfu.Tests;

/// <summary>Endpoints whose peer goes silent are released and reported; released ones are not.</summary>
public sealed class LifecycleTests
{
    private static string Offer() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "chrome-publish-offer.sdp"));

    [Fact]
    public async Task An_endpoint_without_consent_is_released_and_reported_once_and_a_released_one_is_not_reported()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using WebRtcServer server = WebRtcServer.Start(new WebRtcServerOptions { Port = 0 }, time, NullLoggerFactory.Instance);
        using var sfu = new SfuServer(server, time, NullLoggerFactory.Instance);
        var lost = new List<(string Router, string Endpoint)>();
        sfu.EndpointLost += (router, endpoint) => { lock (lost) { lost.Add((router, endpoint)); } };
        Router router = sfu.GetOrCreateRouter("room");
        router.Publish("silent", Offer(), CodecPreferences.Default);
        router.Publish("released", Offer(), CodecPreferences.Default);
        router.Release("released");
        Assert.Equal(1, router.EndpointCount);

        time.Advance(server.Options.ConsentTimeout + TimeSpan.FromSeconds(1));
        server.Sweep();
        for (int i = 0; i < 100 && router.EndpointCount > 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, router.EndpointCount);
        Assert.Equal(0, server.TransportCount);
        lock (lost)
        {
            Assert.Equal([("room", "silent")], lost);
        }
    }
}
