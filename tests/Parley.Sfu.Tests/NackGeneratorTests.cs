using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

public sealed class NackGeneratorTests
{
    [Fact]
    public void Gaps_are_asked_for_again_at_intervals_until_they_arrive_or_age_out()
    {
        var nacks = new NackGenerator();
        Span<ushort> due = stackalloc ushort[16];
        nacks.OnPacket(65534, 0);
        nacks.OnPacket(2, 10);                                   // 65535, 0 and 1 lost, across the wrap
        Assert.Equal([65535, 0, 1], due[..nacks.Collect(10, due)].ToArray());
        Assert.Equal(0, nacks.Collect(10 + NackGenerator.RetryInterval - 1, due)); // not yet again
        nacks.OnPacket(0, 20);                                   // a retransmission arrives
        Assert.Equal([65535, 1], due[..nacks.Collect(10 + NackGenerator.RetryInterval, due)].ToArray());
        Assert.Equal(0, nacks.Collect(10 + NackGenerator.MaxAge + 1, due)); // too old: given up
        Assert.Equal(0, nacks.Missing);
    }

    [Fact]
    public void Each_loss_is_asked_for_at_most_max_tries_times_and_huge_jumps_are_not_nacked()
    {
        var nacks = new NackGenerator();
        Span<ushort> due = stackalloc ushort[16];
        nacks.OnPacket(100, 0);
        nacks.OnPacket(102, 0);
        int asked = 0;
        for (long now = 0; now < NackGenerator.MaxAge; now += NackGenerator.RetryInterval)
        {
            asked += nacks.Collect(now, due);
        }

        Assert.Equal(NackGenerator.MaxTries, asked);
        nacks.OnPacket(5000, 2000);
        Assert.Equal(0, nacks.Collect(2000, due));
    }

    [Fact]
    public void A_packet_is_new_the_first_time_and_when_it_fills_a_gap_but_not_as_a_copy_of_one_that_arrived()
    {
        var nacks = new NackGenerator();
        Assert.True(nacks.OnPacket(10, 0));
        Assert.True(nacks.OnPacket(13, 0));   // 11 and 12 missing
        Assert.True(nacks.OnPacket(12, 5));   // out of order, or retransmitted: fills a gap
        Assert.False(nacks.OnPacket(12, 6));  // again: a copy (a browser's probe padding)
        Assert.False(nacks.OnPacket(13, 6));
        Assert.False(nacks.OnPacket(10, 6));
        Assert.True(nacks.OnPacket(11, 7));
        Assert.Equal(0, nacks.Missing);
    }
}
