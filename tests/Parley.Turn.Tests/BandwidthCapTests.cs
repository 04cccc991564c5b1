using System.Net;

namespace Parley.Turn.Tests;

/// <summary>Turn:MaxBps (coturn's max-bps): an allocation relays at most that many bytes a second, both ways
/// together; the rest is dropped and counted.</summary>
public sealed class BandwidthCapTests
{
    [Fact]
    public async Task Past_the_cap_datagrams_are_dropped_and_counted()
    {
        await using TurnHarness turn = await TurnHarness.StartAsync(o =>
        {
            o.AllowedPeerRanges.Add("127.0.0.0/8");
            o.MaxBps = 3000; // the bucket starts full: 3 of these 1,000-byte datagrams, then about 3 a second
        });
        using TurnTestClient client = turn.UdpClient();
        await client.AllocateOkAsync();
        using var peer = new UdpPeer(IPAddress.Loopback);
        Assert.Equal(0, (await client.ChannelBindAsync(0x4000, peer.Address)).ErrorCode());

        for (int i = 0; i < 20; i++)
        {
            await client.SendChannelDataAsync(0x4000, new byte[1000]);
        }

        int received = 0;
        while (await peer.TryReceiveAsync(TimeSpan.FromMilliseconds(300)) is not null)
        {
            received++;
        }

        // Sent in a few milliseconds: the full bucket and what refills meanwhile, far from all 20.
        Assert.InRange(received, 3, 6);
        Assert.Equal(20 - received, turn.Counters.PacketsDropped);
        Assert.Equal(received, turn.Counters.PacketsRelayedOut);
    }
}
