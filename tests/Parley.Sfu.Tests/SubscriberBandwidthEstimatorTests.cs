using Parley.Sfu.Media;

namespace Parley.Sfu.Tests;

/// <summary>A subscriber's bandwidth estimate from its REMB and its receiver reports' loss: unknown until the link
/// shows congestion, then drops at once, rises gradually, holds or falls on loss, goes on from loss alone when REMB
/// stops, and forgets congestion after a while (longer each time it comes back soon).</summary>
public sealed class SubscriberBandwidthEstimatorTests
{
    private static byte Fraction(double loss) => (byte)Math.Round(loss * 256);

    [Fact]
    public void It_is_unknown_while_the_remb_only_rises_and_takes_the_first_fall_as_it_is()
    {
        var estimator = new SubscriberBandwidthEstimator();
        Assert.Equal(0, estimator.Estimate);
        estimator.OnLoss(0, 500_000, 1000);  // no loss
        estimator.OnRemb(300_000, 1000);     // libwebrtc's first REMB: what it measured arriving
        estimator.OnRemb(450_000, 2000);     // rising: still no sign of congestion
        estimator.OnRemb(445_000, 3000);     // within 2 %: noise
        Assert.Equal(0, estimator.Estimate);
        estimator.OnRemb(380_000, 4000);     // over-use
        Assert.Equal(380_000, estimator.Estimate);
    }

    [Fact]
    public void A_drop_is_taken_at_once_and_a_rise_at_most_by_half_a_second_and_never_past_the_remb()
    {
        var estimator = new SubscriberBandwidthEstimator();
        estimator.OnRemb(1_000_000, 0);
        estimator.OnRemb(250_000, 200);
        Assert.Equal(250_000, estimator.Estimate);

        long now = 1200;
        estimator.OnRemb(2_000_000, now);                    // one optimistic report: +50 % for a second
        Assert.Equal(375_000, estimator.Estimate);
        estimator.OnRemb(2_000_000, now + 100);              // a tenth of a second later: +5 %
        Assert.Equal(393_750, estimator.Estimate);

        var seen = new List<long>();
        for (now += 1100; now < 20_000; now += 1000)
        {
            estimator.OnRemb(2_000_000, now);
            seen.Add(estimator.Estimate);
        }

        Assert.Equal([590_625, 885_937, 1_328_905, 1_993_357, 2_000_000, 2_000_000], seen.Take(6));
        Assert.All(seen, e => Assert.True(e <= 2_000_000));
    }

    [Fact]
    public void A_long_silence_between_rembs_earns_no_bigger_step_than_a_second()
    {
        var estimator = new SubscriberBandwidthEstimator();
        estimator.OnRemb(1_000_000, 0);
        estimator.OnRemb(200_000, 0);
        estimator.OnRemb(5_000_000, 4000);
        Assert.Equal(300_000, estimator.Estimate);
    }

    [Fact]
    public void High_loss_cuts_to_what_was_sent_less_half_the_loss_moderate_loss_holds_and_low_loss_lets_it_rise()
    {
        var estimator = new SubscriberBandwidthEstimator();
        estimator.OnRemb(2_000_000, 0);                      // the delay-based estimate sees nothing (a policer)
        estimator.OnLoss(Fraction(0.5), 1_200_000, 1000);    // half of 1.2 Mbit/s lost
        Assert.Equal(900_000, estimator.Estimate);          // 1.2 M × (1 − 0.25)

        estimator.OnRemb(2_000_000, 1500);                   // REMB still high: no rise while losing
        Assert.Equal(900_000, estimator.Estimate);
        estimator.OnLoss(Fraction(0.05), 900_000, 2000);     // 5 %: hold
        estimator.OnRemb(2_000_000, 2500);
        Assert.Equal(900_000, estimator.Estimate);

        estimator.OnLoss(Fraction(0.25), 900_000, 3000);     // a quarter of 900 k
        Assert.Equal(787_500, estimator.Estimate);
        estimator.OnLoss(Fraction(0.25), 2_000_000, 4000);   // a cut never raises it
        Assert.Equal(787_500, estimator.Estimate);

        estimator.OnLoss(0, 800_000, 5000);                  // clean again: the REMB leads it up
        estimator.OnRemb(2_000_000, 5500);
        Assert.Equal(1_181_250, estimator.Estimate);
    }

    [Fact]
    public void Without_remb_for_five_seconds_it_grows_eight_percent_a_second_on_clean_loss_reports()
    {
        var estimator = new SubscriberBandwidthEstimator();
        estimator.OnRemb(600_000, 0);
        estimator.OnRemb(500_000, 0);
        estimator.OnLoss(0, 400_000, 1000);                  // REMB fresh: loss reports do not raise it
        Assert.Equal(500_000, estimator.Estimate);

        long now = SubscriberBandwidthEstimator.RembTimeout + 1000;
        estimator.OnLoss(0, 400_000, now);
        Assert.Equal(540_000, estimator.Estimate);
        estimator.OnLoss(Fraction(0.25), 400_000, now + 1000); // and still falls on loss
        Assert.Equal(350_000, estimator.Estimate);
    }

    [Fact]
    public void Loss_alone_gives_an_estimate_when_there_is_no_remb()
    {
        var estimator = new SubscriberBandwidthEstimator();
        estimator.OnLoss(Fraction(0.5), 1_000_000, 1000);
        Assert.Equal(750_000, estimator.Estimate);
    }

    [Fact]
    public void Congestion_is_forgotten_after_a_while_and_remembered_twice_as_long_when_it_comes_back_soon()
    {
        var estimator = new SubscriberBandwidthEstimator();
        estimator.OnRemb(1_000_000, 0);
        estimator.OnRemb(300_000, 1000);
        long memory = SubscriberBandwidthEstimator.FirstMemory;
        Assert.Equal(memory, estimator.Memory);
        for (long t = 2000; t < 1000 + memory; t += 1000)
        {
            estimator.OnRemb(300_000, t);                        // steady, no new sign of congestion
            Assert.True(estimator.Estimate > 0);
        }

        estimator.OnRemb(300_000, 1000 + memory);
        Assert.Equal(0, estimator.Estimate);                    // forgotten: no limit, better layers are tried

        long relapse = 1000 + memory + 3000;
        estimator.OnRemb(200_000, relapse);                     // the link is still slow
        Assert.Equal(200_000, estimator.Estimate);
        Assert.Equal(2 * memory, estimator.Memory);
        estimator.OnRemb(200_000, relapse + (2 * memory) - 1);
        Assert.Equal(200_000, estimator.Estimate);
        estimator.OnRemb(200_000, relapse + (2 * memory));
        Assert.Equal(0, estimator.Estimate);

        estimator.OnLoss(Fraction(0.5), 400_000, relapse + (2 * memory) + SubscriberBandwidthEstimator.RelapseWindow + 1);
        Assert.Equal(300_000, estimator.Estimate);              // congestion long after: the first memory again
        Assert.Equal(memory, estimator.Memory);
    }
}
