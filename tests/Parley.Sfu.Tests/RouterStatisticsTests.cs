using Microsoft.Extensions.Logging.Abstractions;
using Parley.Sfu.Negotiation;
using Parley.WebRtc;

namespace Parley.Sfu.Tests;

/// <summary>An endpoint's statistics as the router gives them, before any media: its negotiation and declared streams.</summary>
public sealed class RouterStatisticsTests
{
    private static string Offer() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "chrome-publish-offer.sdp"));

    [Fact]
    public async Task A_publisher_has_its_sdp_candidates_and_declared_streams_and_a_released_one_is_gone()
    {
        await using WebRtcServer server = WebRtcServer.Start(new WebRtcServerOptions { Port = 0 }, TimeProvider.System, NullLoggerFactory.Instance);
        using var sfu = new SfuServer(server, TimeProvider.System, NullLoggerFactory.Instance);
        Router router = sfu.GetOrCreateRouter("room");
        string answer = router.Publish("cam", Offer(), CodecPreferences.Default);

        EndpointStatistics? stats = router.GetStatistics("cam");
        Assert.NotNull(stats);
        Assert.True(stats.IsPublisher);
        Assert.Equal(Offer(), stats.RemoteSdp);
        Assert.Equal(answer, stats.LocalSdp);
        Assert.Equal(server.HostCandidate, stats.LocalCandidate);
        Assert.Null(stats.RemoteCandidate); // no check from the browser yet
        Assert.Contains(stats.Streams, s => s.Kind == MediaKind.Video && s.Packets == 0);
        Assert.Contains(stats.Streams, s => s.Kind == MediaKind.Audio && s.Codec == "opus");
        Assert.Null(router.GetStatistics("nobody"));
        Assert.Single(router.GetStatistics());

        router.Release("cam");
        Assert.Null(router.GetStatistics("cam"));
        Assert.Equal(SfuTotals.Zero, sfu.Totals);
    }
}
