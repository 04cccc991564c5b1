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
    public void Below_the_lowest_layer_it_pauses_and_resumes_once_the_lowest_fits_with_headroom_for_the_resume_delay()
    {
        Producer producer = Video("q", "h", "f");
        var selector = new LayerSelector();
        long now = 10_000;
        Feed(producer, now, Three); // measured: 165 k, 550 k, 1.65 M
        Assert.Equal(0, selector.Update(producer.Layers, 200_000, now));
        Assert.Equal(-1, selector.Update(producer.Layers, 160_000, now + 100));
        Assert.True(selector.Paused);

        // 175 k fits the lowest layer (165 k, then 150 k once a window of exact packets closed) but not with 20 %
        // headroom: stays paused.
        long t = now + 200;
        for (; t < now + 5000; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(-1, selector.Update(producer.Layers, 175_000, t));
        }

        // 200 k (the layers now measure exactly 150 k, 500 k, 1.5 M): for ResumeDelay, then the best layer that
        // fits with headroom.
        long start = t;
        for (; t < start + LayerSelector.ResumeDelay; t += 250)
        {
            Feed(producer, t, Three);
            Assert.Equal(-1, selector.Update(producer.Layers, 200_000, t));
        }

        Feed(producer, t, Three);
        Assert.Equal(0, selector.Update(producer.Layers, 200_000, t));
        Assert.False(selector.Paused);
    }

    [Fact]
    public void A_single_encoding_is_paused_only_below_half_its_bitrate()
    {
        Producer producer = Video();
        var selector = new LayerSelector();
        Feed(producer, 10_000, 1_000_000); // 1.1 M measured
        Assert.Equal(0, selector.Update(producer.Layers, 600_000, 10_000));
        Assert.Equal(-1, selector.Update(producer.Layers, 500_000, 10_100));
        Assert.True(selector.Paused);
    }

    [Fact]
    public void Paused_without_recovery_the_lowest_layer_is_tried_again_and_a_falling_budget_ends_the_trial_with_a_longer_wait()
    {
        Producer producer = Video("q", "h");
        var selector = new LayerSelector();
        long now = 10_000;
        Feed(producer, now, 150_000, 500_000);
        Assert.Equal(-1, selector.Update(producer.Layers, 100_000, now));
        long t = now + 250;
        for (; t < now + LayerSelector.FirstTrial; t += 250)
        {
            Feed(producer, t, 150_000, 500_000);
            Assert.Equal(-1, selector.Update(producer.Layers, 100_000, t));
        }

        Feed(producer, t, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 100_000, t));          // the trial
        Assert.True(selector.Trying);
        Feed(producer, t + 1000, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 95_000, t + 1000));    // a small dip: goes on
        Feed(producer, t + 2000, 150_000, 500_000);
        Assert.Equal(-1, selector.Update(producer.Layers, 80_000, t + 2000));   // the link says no
        long pausedAgain = t + 2000;

        for (t = pausedAgain + 250; t < pausedAgain + (2 * LayerSelector.FirstTrial); t += 250)
        {
            Feed(producer, t, 150_000, 500_000);
            Assert.Equal(-1, selector.Update(producer.Layers, 80_000, t));      // twice as long this time
        }

        Feed(producer, t, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 80_000, t));
        Feed(producer, t + 1000, 150_000, 500_000);
        Assert.Equal(0, selector.Update(producer.Layers, 180_000, t + 1000));   // the estimate grew: the trial worked
        Assert.False(selector.Trying);
        Assert.False(selector.Paused);
    }
}
