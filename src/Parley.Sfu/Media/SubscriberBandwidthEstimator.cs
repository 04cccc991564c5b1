namespace Parley.Sfu.Media;

/// <summary>
/// What one subscriber's downlink can take, in bits per second, from the two signals its browser gives a sender
/// that did not negotiate transport-cc with it:
/// <list type="bullet">
/// <item>REMB (draft-alvestrand-rmcat-remb): the subscriber's own delay-based estimate. The server offers subscribers
/// goog-remb and abs-send-time and no transport-cc, so libwebrtc runs its receive-side estimator (abs-send-time
/// inter-arrival deltas through a trendline over-use detector and AIMD rate control) and reports the result about
/// once a second, at once when it drops. A queueing bottleneck (a shaper, a full router buffer) shows up there
/// first.</item>
/// <item>The fraction lost of its receiver reports (RFC 3550 §6.4.1) about the video it gets: a policer that drops
/// without queueing leaves the delay flat, so only loss shows it.</item>
/// </list>
/// How libwebrtc's REMB behaves decides how it is read. Its first value is the rate it measured arriving (after
/// 5 s) and it then rises only to about 1.5 times what arrives; it falls only when it detects over-use (to 0.85
/// times what arrives). So a REMB that never fell says "no congestion at what you send", not "this is the
/// capacity": a subscriber that had been sent little at first (a publisher's layers ramp up over seconds) would be
/// held down by it for good. The estimate therefore stays unknown (no limit: the best layer) until the link shows
/// congestion: a REMB lower than the one before, or more than 10 % loss. From then on:
/// <list type="bullet">
/// <item>a REMB drop is taken at once (the receiver saw queues grow; each second above the bottleneck makes them
/// longer); a rise gradually, at most <see cref="RampUpPerSecond"/> a second, and not while losing;</item>
/// <item>loss as Google Congestion Control's loss-based controller (draft-ietf-rmcat-gcc-02 §6): above 10 % the
/// estimate falls to what was sent times (1 − loss/2), between 2 and 10 % it holds, below 2 % it may rise (towards
/// the REMB, or, when the subscriber stopped sending REMB for <see cref="RembTimeout"/>, by
/// <see cref="LossOnlyIncreasePerSecond"/> a second on loss reports alone);</item>
/// <item>congestion is remembered for <see cref="FirstMemory"/>: after that long without a new sign of it the
/// estimate is unknown again, which lets the subscriber try better layers (the REMB cannot show capacity above
/// what it receives; this is probing with media). Congestion back within <see cref="RelapseWindow"/> of that
/// doubles the memory, up to <see cref="LastMemory"/>, so a link that really is slow is retried ever more rarely.</item>
/// </list>
/// Why not a sender-side estimate from the subscriber's transport-wide feedback (what mediasoup and LiveKit do): it
/// needs the server to stamp its own transport-wide sequence numbers, run a delay-trend filter of its own and probe
/// with padding. REMB is libwebrtc's same delay-based detector run at the receiver on the server's abs-send-time
/// stamps, so for Chromium subscribers it detects the same congestion with far less code; the loss half covers
/// what it cannot see; what it lacks (probing with padding) is replaced by the memory above and by
/// <see cref="LayerSelector"/>'s trials, which probe with media: a subscriber on a slow link sees a short stall at
/// each retry (20 s, then 40, 80, 160 s apart while the link stays slow).
///
/// Times are milliseconds; state is touched only on the media port's receive loop.
/// </summary>
internal sealed class SubscriberBandwidthEstimator
{
    /// <summary>A REMB older than this no longer caps increases (the subscriber stopped sending it).</summary>
    public const long RembTimeout = 5000;

    /// <summary>How much the estimate may grow per second, as a fraction of itself.</summary>
    public const double RampUpPerSecond = 0.5;

    /// <summary>Growth per second on loss reports alone, without REMB (GCC's 8 %).</summary>
    public const double LossOnlyIncreasePerSecond = 0.08;

    /// <summary>Growth per second at least, so a low estimate does not take minutes to recover.</summary>
    public const long MinimumIncreasePerSecond = 20_000;

    /// <summary>Loss fraction above which the estimate falls.</summary>
    public const double HighLoss = 0.10;

    /// <summary>Loss fraction below which the estimate may rise.</summary>
    public const double LowLoss = 0.02;

    /// <summary>How long congestion is remembered at first.</summary>
    public const long FirstMemory = 20_000;

    /// <summary>The longest congestion is remembered (after relapses).</summary>
    public const long LastMemory = 160_000;

    /// <summary>Congestion this soon after it was forgotten doubles the memory.</summary>
    public const long RelapseWindow = 10_000;

    /// <summary>A REMB this much below the one before is a sign of congestion (libwebrtc lowers it only on over-use).</summary>
    private const double RembFall = 0.98;

    /// <summary>How long a loss report counts for deciding whether the estimate may rise.</summary>
    private const long LossReportLifetime = 3000;

    /// <summary>The lowest estimate: below this nothing but audio could pass anyway.</summary>
    private const long Floor = 10_000;

    private long _lastChangeAt = long.MinValue;
    private long _rembAt = long.MinValue;
    private long _lossAt = long.MinValue;
    private long _congestionAt = long.MinValue;
    private long _forgottenAt = long.MinValue;
    private long _memory = FirstMemory;

    /// <summary>The estimate in bits per second; 0 while unknown (no congestion seen, or none for a while).</summary>
    public long Estimate { get; private set; }

    /// <summary>How long congestion is remembered now.</summary>
    public long Memory => _memory;

    /// <summary>The last REMB value, bits per second; 0 before the first.</summary>
    public long LastRemb { get; private set; }

    /// <summary>The last fraction lost reported for video (0 to 1).</summary>
    public double LastLoss { get; private set; }

    /// <summary>A REMB from the subscriber.</summary>
    public void OnRemb(long bitrate, long now)
    {
        bitrate = Math.Max(bitrate, Floor);
        bool fell = LastRemb > 0 && bitrate < LastRemb * RembFall;
        LastRemb = bitrate;
        _rembAt = now;
        Forget(now);
        if (fell)
        {
            Congested(now);
        }

        if (Estimate == 0 && !fell)
        {
            return; // no congestion seen: no limit
        }

        if (Estimate == 0 || bitrate <= Estimate)
        {
            Set(bitrate, now); // a drop: at once
        }
        else if (!Losing(now))
        {
            Rise(bitrate, RampUpPerSecond, now);
        }
    }

    /// <summary>A receiver report's fraction lost (0 to 255, as on the wire) about video that was sent at
    /// <paramref name="sentBitrate"/> bits per second (everything sent to the subscriber, over the last second).</summary>
    public void OnLoss(byte fractionLost, long sentBitrate, long now)
    {
        double loss = fractionLost / 256.0;
        LastLoss = loss;
        _lossAt = now;
        Forget(now);
        if (loss > HighLoss)
        {
            Congested(now);
            if (sentBitrate > 0)
            {
                long reduced = Math.Max(Floor, (long)(sentBitrate * (1 - (0.5 * loss))));
                if (Estimate == 0 || reduced < Estimate)
                {
                    Set(reduced, now);
                }
            }

            return;
        }

        if (loss < LowLoss && Estimate > 0 && !RembFresh(now))
        {
            Rise(long.MaxValue, LossOnlyIncreasePerSecond, now);
        }
    }

    private void Congested(long now)
    {
        if (_congestionAt == long.MinValue || Estimate == 0)
        {
            // Congestion (again): soon after it was forgotten, remember it twice as long this time.
            _memory = _forgottenAt != long.MinValue && now - _forgottenAt <= RelapseWindow
                ? Math.Min(_memory * 2, LastMemory)
                : FirstMemory;
        }

        _congestionAt = now;
    }

    /// <summary>No sign of congestion for the memory: the estimate is unknown again.</summary>
    private void Forget(long now)
    {
        if (Estimate > 0 && _congestionAt != long.MinValue && now - _congestionAt >= _memory)
        {
            Estimate = 0;
            _forgottenAt = now;
        }
    }

    private bool RembFresh(long now) => _rembAt != long.MinValue && now - _rembAt <= RembTimeout;

    private bool Losing(long now) => _lossAt != long.MinValue && now - _lossAt <= LossReportLifetime && LastLoss >= LowLoss;

    /// <summary>Grows towards <paramref name="target"/>, by at most <paramref name="fractionPerSecond"/> of the
    /// estimate (or <see cref="MinimumIncreasePerSecond"/>) for each second since the last change, counting at most
    /// one second (a long silence earns no jump).</summary>
    private void Rise(long target, double fractionPerSecond, long now)
    {
        long elapsed = _lastChangeAt == long.MinValue ? 1000 : Math.Clamp(now - _lastChangeAt, 0, 1000);
        long step = Math.Max((long)(Estimate * fractionPerSecond), MinimumIncreasePerSecond) * elapsed / 1000;
        long next = Math.Min(target, Estimate + step);
        if (next > Estimate)
        {
            Set(next, now);
        }
    }

    private void Set(long estimate, long now)
    {
        Estimate = estimate;
        _lastChangeAt = now;
    }
}
