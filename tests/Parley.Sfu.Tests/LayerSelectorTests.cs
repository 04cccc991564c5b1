using Parley.Sdp;
using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>The layer a consumer's budget picks, with hysteresis: down at once, up after a few seconds with headroom,
/// paused below the lowest layer and resumed (or tried again) later.</summary>
public sealed class LayerSelectorTests
{
    private long _measuredUntil = long.MinValue;

    private static Producer Video(params string[] rids) =>
        new(new ProducerDescription("1", MediaKind.Video, new Codec(96, "VP8", 90000), rids.Length == 0 ? 1u : null, null, "c", "s", "t", [], rids),
            null!, TimeProvider.System);

    /// <summary>Keeps the layers active at <paramref name="bitrates"/> (one packet every 100 ms) up to
    /// <paramref name="now"/>; the first window reads 10 % high (11 packets in its second).</summary>
    private void Feed(Producer producer, long now, params long[] bitrates)
    {
        for (long t = Math.Max(now - 1100, _measuredUntil + 100); t <= now; t += 100)
        {
            _measuredUntil = t;
            for (int i = 0; i < bitrates.Length; i++)
            {
                producer.Layers[i].LastPacketAt = t;
                producer.Layers[i].Count((int)(bitrates[i] / 80), t);
            }
        }
    }

    private static readonly long[] Three = [150_000, 500_000, 1_500_000];

    [Fact]
    public void An_unknown_budget_gets_the_best_active_layer()
    {
        Producer producer = Video("q", "h", "f");
        var selector = new LayerSelector();
        Feed(producer, 10_000, Three);
        Assert.Equal(2, selector.Update(producer.Layers, 0, 10_000));
        producer.Layers[2].LastPacketAt = 10_000 - Producer.LayerTimeout - 1; // the top layer stopped
        Assert.Equal(1, selector.Update(producer.Layers, 0, 10_000));
    }

    [Fact]
    public void When_the_estimate_is_forgotten_it_climbs_back_a_layer_at_a_time_and_a_pause_ends_on_the_lowest()
    {
        Producer producer = Video("q", "h", "f");
        var selector = new LayerSelector();
        long now = 10_000;
        Feed(producer, now, Three);
        Assert.Equal(2, selector.Update(producer.Layers, 0, now));
        Assert.Equal(0, selector.Update(producer.Layers, 200_000, now + 10));

        long t = now + 100;
        Feed(producer, t, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 0, t));                           // unknown again
        Feed(producer, t + LayerSelector.UpDelay - 1, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 0, t + LayerSelector.UpDelay - 1));
        Feed(producer, t + LayerSelector.UpDelay, Three);
        Assert.Equal(1, selector.Update(producer.Layers, 0, t + LayerSelector.UpDelay));
        Feed(producer, t + (2 * LayerSelector.UpDelay), Three);
        Assert.Equal(2, selector.Update(producer.Layers, 0, t + (2 * LayerSelector.UpDelay)));

        // Paused, then unknown: back on the lowest, not the best.
        t += 3 * LayerSelector.UpDelay;
        Feed(producer, t, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 100_000, t));                     // held
        Feed(producer, t + LayerSelector.HoldGrace, Three);
        Assert.Equal(-1, selector.Update(producer.Layers, 10_000, t + LayerSelector.HoldGrace));
        Feed(producer, t + LayerSelector.HoldGrace + 100, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 0, t + LayerSelector.HoldGrace + 100));
    }

    [Fact]
    public void It_moves_down_at_once_and_up_only_after_the_budget_stayed_above_the_next_layer_with_headroom()
    {
        Producer producer = Video("q", "h", "f");
        var selector = new LayerSelector();
        long now = 10_000;
        Feed(producer, now, Three);
        Assert.Equal(2, selector.Update(producer.Layers, 5_000_000, now));
        Assert.Equal(0, selector.Update(producer.Layers, 300_000, now + 10));   // straight to what fits

        // 580 kbit/s fits the middle layer (550 k in the first window, 500 k from then on) but not with 20 %
        // headroom: never up.
        long t = now + 100;
        for (; t < now + 10_000; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(0, selector.Update(producer.Layers, 580_000, t));
        }

        // 700 k fits it with headroom: up after UpDelay, not before; a dip below the headroom in between starts the
        // wait again.
        long start = t;
        for (; t < start + 2000; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(0, selector.Update(producer.Layers, 700_000, t));
        }

        Feed(producer, t, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 550_000, t));         // the dip
        long restart = t + 250;
        for (t = restart; t < restart + LayerSelector.UpDelay; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(0, selector.Update(producer.Layers, 700_000, t));
        }

        Feed(producer, t, Three);
        Assert.Equal(1, selector.Update(producer.Layers, 700_000, t));          // one layer: the top one does not fit

        Feed(producer, t + 100, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 400_000, t + 100));    // below the middle layer: down at once
    }

    [Fact]
    public void Below_the_lowest_layer_it_holds_it_and_pauses_only_if_the_budget_keeps_falling_then_resumes_with_headroom()
    {
        Producer producer = Video("q", "h", "f");
        var selector = new LayerSelector();
        long now = 10_000;
        Feed(producer, now, Three); // measured: 165 k, 550 k, 1.65 M
        Assert.Equal(2, selector.Update(producer.Layers, 0, now));
        Assert.Equal(0, selector.Update(producer.Layers, 120_000, now + 100)); // below the lowest: held
        Assert.True(selector.Holding);

        // In the grace the budget may still fall (the congestion the top layer caused drains): the lowest it
        // reaches there (100 k) is the reference; later it holds above 85 % of it, so the lowest layer goes on.
        long t = now + 200;
        for (; t < now + 100 + LayerSelector.HoldGrace; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(0, selector.Update(producer.Layers, 100_000, t));
        }

        for (; t < now + 8000; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(0, selector.Update(producer.Layers, 86_000, t));
        }

        Assert.False(selector.Paused);
        Feed(producer, t, Three);
        Assert.Equal(-1, selector.Update(producer.Layers, 84_000, t));        // the lowest layer still congests it
        Assert.True(selector.Paused);

        // 175 k fits the lowest layer (150 k now) but not with 20 % headroom: stays paused.
        long pausedAt = t;
        for (t += 250; t < pausedAt + LayerSelector.FirstTrial - LayerSelector.ResumeDelay - 1000; t += 250) // ends before a trial
        {
            Feed(producer, t, Three);
            Assert.Equal(-1, selector.Update(producer.Layers, 175_000, t));
        }

        // 200 k for ResumeDelay: resumed on the best layer that fits with headroom.
        long start = t;
        for (; t < start + LayerSelector.ResumeDelay; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(-1, selector.Update(producer.Layers, 200_000, t));
        }

        Feed(producer, t, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 200_000, t));
        Assert.False(selector.Paused);
        Assert.False(selector.Holding);
    }

    [Fact]
    public void A_single_encoding_is_held_above_half_its_bitrate_and_below_that_held_then_paused_if_the_budget_keeps_falling()
    {
        Producer producer = Video();
        var selector = new LayerSelector();
        Feed(producer, 10_000, 1_000_000); // 1.1 M measured
        Assert.Equal(0, selector.Update(producer.Layers, 600_000, 10_000));
        Assert.False(selector.Holding);
        Assert.Equal(0, selector.Update(producer.Layers, 500_000, 10_100));
        Assert.True(selector.Holding);
        Feed(producer, 10_100 + LayerSelector.HoldGrace, 1_000_000);
        Assert.Equal(-1, selector.Update(producer.Layers, 400_000, 10_100 + LayerSelector.HoldGrace));
        Assert.True(selector.Paused);
    }

    [Fact]
    public void A_budget_far_below_the_lowest_layer_pauses_after_the_grace_even_if_it_does_not_fall_further()
    {
        Producer producer = Video("q", "h");
        var selector = new LayerSelector();
        Feed(producer, 10_000, 150_000, 500_000); // the lowest measures 165 k: a quarter is 41 k
        Assert.Equal(0, selector.Update(producer.Layers, 1, 10_000)); // audio takes all of the estimate
        Feed(producer, 10_000 + LayerSelector.HoldGrace - 100, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 1, 10_000 + LayerSelector.HoldGrace - 100));
        Feed(producer, 10_000 + LayerSelector.HoldGrace, 150_000, 500_000);
        Assert.Equal(-1, selector.Update(producer.Layers, 1, 10_000 + LayerSelector.HoldGrace));
    }

    [Fact]
    public void Paused_without_recovery_the_lowest_layer_is_tried_again_and_a_falling_budget_ends_the_trial_with_a_longer_wait()
    {
        Producer producer = Video("q", "h");
        var selector = new LayerSelector();
        long now = 10_000;
        Feed(producer, now, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 100_000, now));
        Feed(producer, now + LayerSelector.HoldGrace, 150_000, 500_000);
        Assert.Equal(-1, selector.Update(producer.Layers, 80_000, now + LayerSelector.HoldGrace));
        long pausedAt = now + LayerSelector.HoldGrace;
        long t = pausedAt + 250;
        for (; t < pausedAt + LayerSelector.FirstTrial; t += 250)
        {
            Feed(producer, t, 150_000, 500_000);
            Assert.Equal(-1, selector.Update(producer.Layers, 80_000, t));
        }

        Feed(producer, t, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 80_000, t));           // the trial
        Assert.True(selector.Holding);
        Feed(producer, t + 1000, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 75_000, t + 1000));    // in the grace: the new reference
        Feed(producer, t + LayerSelector.HoldGrace + 500, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 70_000, t + LayerSelector.HoldGrace + 500)); // within 15 %: goes on
        Feed(producer, t + LayerSelector.HoldGrace + 1000, 150_000, 500_000);
        Assert.Equal(-1, selector.Update(producer.Layers, 60_000, t + LayerSelector.HoldGrace + 1000)); // the link says no
        long pausedAgain = t + LayerSelector.HoldGrace + 1000;

        for (t = pausedAgain + 250; t < pausedAgain + (2 * LayerSelector.FirstTrial); t += 250)
        {
            Feed(producer, t, 150_000, 500_000);
            Assert.Equal(-1, selector.Update(producer.Layers, 60_000, t));      // twice as long this time
        }

        Feed(producer, t, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 60_000, t));
        Feed(producer, t + 1000, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 180_000, t + 1000));   // the estimate grew: the lowest fits
        Assert.False(selector.Holding);
        Assert.False(selector.Paused);
    }
}
