namespace Parley.Sfu.Media;

/// <summary>
/// Which encoding of a video producer one consumer should send, given the bitrate its subscriber's link has for
/// it (the budget), with hysteresis so a noisy estimate does not make it switch (each switch costs a key frame):
/// <list type="bullet">
/// <item>down at once when the budget falls below the target layer's measured bitrate (to the best layer that fits);</item>
/// <item>up only when a better layer has fitted with <see cref="UpHeadroom"/> for <see cref="UpDelay"/>;</item>
/// <item>when even the lowest active layer does not fit (for a producer without simulcast: when the budget is below
/// <see cref="SinglePauseFraction"/> of its bitrate, since its publisher's encoder adapts to its own uplink, not to
/// this subscriber), the lowest is still sent, and its effect watched: the estimate often comes from the congestion
/// a better layer caused and recovers once less is sent. Only when, after <see cref="HoldGrace"/>, the budget falls
/// below <see cref="HoldDrop"/> of the lowest it had in that grace (the link still congested by the lowest layer),
/// or is below <see cref="HoldFloor"/> of what the lowest layer needs (no room at all, e.g. audio takes it all), is
/// video paused: that is video that cannot get through.</item>
/// <item>Paused, it resumes when the lowest layer fits again with <see cref="ResumeHeadroom"/> for
/// <see cref="ResumeDelay"/>. But paused, the subscriber receives no video, so its estimate cannot grow (libwebrtc
/// lets its REMB rise only to about 1.5 times what arrives): after <see cref="FirstTrial"/> the lowest layer is
/// tried again anyway (probing with media), watched as above; a trial that ends in another pause doubles the wait
/// for the next, up to <see cref="LastTrial"/>.</item>
/// </list>
/// A budget of 0 means unknown: never paused, and the best active layer (climbed to a layer at a time when a known
/// budget had held the consumer lower). A layer not measured yet (bitrate 0) counts as fitting. Times are
/// milliseconds; state is touched only on the media port's receive loop.
/// </summary>
internal sealed class LayerSelector
{
    public const double UpHeadroom = 1.2;
    public const long UpDelay = 3000;
    public const double SinglePauseFraction = 0.5;
    public const long HoldGrace = 4000;
    public const double HoldDrop = 0.85;
    public const double HoldFloor = 0.25;
    public const double ResumeHeadroom = 1.2;
    public const long ResumeDelay = 2000;
    public const long FirstTrial = 4000;
    public const long LastTrial = 60_000;

    private long _upSince = long.MinValue;
    private long _holdSince = long.MinValue;
    private long _holdBudget;
    private bool _holdIsTrial;
    private long _resumeSince = long.MinValue;
    private long _pausedAt = long.MinValue;
    private long _trialAfter = FirstTrial;
    private bool _wasLimited;

    /// <summary>The layer to send; -1 when paused or when no layer is active.</summary>
    public int Target { get; private set; } = -1;

    /// <summary>Whether video is paused because the budget does not fit it.</summary>
    public bool Paused { get; private set; }

    /// <summary>Whether the lowest layer is being sent, and watched, although the budget does not fit it.</summary>
    public bool Holding => _holdSince != long.MinValue;

    /// <summary>Re-evaluates the target for <paramref name="budget"/> bits per second (0: unknown) at
    /// <paramref name="now"/>, given the producer's layers (lowest first) and their activity.</summary>
    public int Update(IReadOnlyList<SimulcastLayer> layers, long budget, long now)
    {
        int highest = -1, lowest = -1;
        for (int i = 0; i < layers.Count; i++)
        {
            if (IsActive(layers[i], now))
            {
                highest = i;
                if (lowest < 0)
                {
                    lowest = i;
                }
            }
        }

        if (highest < 0)
        {
            Target = -1; // nothing to send; the pause state stays as it was
            return Target;
        }

        if (budget <= 0)
        {
            return Unlimited(layers, now, lowest, highest);
        }

        _wasLimited = true;

        double pauseFactor = layers.Count > 1 ? 1.0 : SinglePauseFraction;
        if (Paused)
        {
            return TryResume(layers, budget, now, lowest, highest, pauseFactor);
        }

        if (!Fits(layers[lowest], budget, pauseFactor))
        {
            return Hold(budget, now, lowest, layers[lowest].Bitrate * pauseFactor, trial: false);
        }

        if (Holding)
        {
            _holdSince = long.MinValue; // the lowest fits again
            _trialAfter = FirstTrial;
        }

        int target = Target;
        if (target < 0 || !IsActive(layers[target], now))
        {
            // A first choice, or the layer stopped: the best that fits now, no waiting.
            Target = BestFitting(layers, budget, now, lowest, highest, 1.0, lowest);
            _upSince = long.MinValue;
            return Target;
        }

        if (!Fits(layers[target], budget, 1.0))
        {
            Target = BestFitting(layers, budget, now, lowest, target - 1, 1.0, lowest);
            _upSince = long.MinValue;
            return Target;
        }

        int better = BestFitting(layers, budget, now, target + 1, highest, UpHeadroom, target);
        if (better == target)
        {
            _upSince = long.MinValue;
        }
        else if (_upSince == long.MinValue)
        {
            _upSince = now;
        }
        else if (now - _upSince >= UpDelay)
        {
            Target = better;
            _upSince = long.MinValue;
        }

        return Target;
    }

    /// <summary>
    /// No estimate: at first the best active layer; but after a known budget had moved the consumer down (and the
    /// estimate forgot the congestion), one layer up every <see cref="UpDelay"/>, so that trying the link again
    /// does not flood it with the best layer at once.
    /// </summary>
    private int Unlimited(IReadOnlyList<SimulcastLayer> layers, long now, int lowest, int highest)
    {
        _holdSince = long.MinValue;
        if (Paused)
        {
            Paused = false;
            _upSince = now;
            Target = lowest;
            return Target;
        }

        if (!_wasLimited || Target < 0 || !IsActive(layers[Target], now))
        {
            _upSince = long.MinValue;
            Target = highest;
            return Target;
        }

        if (Target >= highest)
        {
            _upSince = long.MinValue;
            _wasLimited = false;
        }
        else if (_upSince == long.MinValue)
        {
            _upSince = now;
        }
        else if (now - _upSince >= UpDelay)
        {
            _upSince = now;
            int next = Target + 1;
            while (!IsActive(layers[next], now))
            {
                next++; // stops at the highest, which is active
            }

            Target = next;
        }

        return Target;
    }

    /// <summary>Sends the lowest layer although it does not fit (it needs <paramref name="needed"/>), and pauses if
    /// the budget keeps falling or is far too small.</summary>
    private int Hold(long budget, long now, int lowest, double needed, bool trial)
    {
        _upSince = long.MinValue;
        if (!Holding)
        {
            _holdSince = now;
            _holdBudget = budget;
            _holdIsTrial = trial;
        }
        else if (now - _holdSince < HoldGrace)
        {
            _holdBudget = Math.Min(_holdBudget, budget);
        }
        else if (budget < _holdBudget * HoldDrop || budget < needed * HoldFloor)
        {
            Pause(now);
            return Target;
        }

        Target = lowest;
        return Target;
    }

    private int TryResume(IReadOnlyList<SimulcastLayer> layers, long budget, long now, int lowest, int highest, double pauseFactor)
    {
        bool fits = Fits(layers[lowest], budget, pauseFactor * ResumeHeadroom);
        if (!fits)
        {
            _resumeSince = long.MinValue;
        }
        else if (_resumeSince == long.MinValue)
        {
            _resumeSince = now;
        }

        if (fits && now - _resumeSince >= ResumeDelay)
        {
            Paused = false;
            _trialAfter = FirstTrial;
            Target = BestFitting(layers, budget, now, lowest, highest, ResumeHeadroom, lowest);
        }
        else if (now - _pausedAt >= _trialAfter)
        {
            Paused = false;
            Hold(budget, now, lowest, layers[lowest].Bitrate * pauseFactor, trial: true);
        }

        return Target;
    }

    private void Pause(long now)
    {
        _trialAfter = _holdIsTrial ? Math.Min(_trialAfter * 2, LastTrial) : FirstTrial;
        Paused = true;
        _pausedAt = now;
        _holdSince = long.MinValue;
        _resumeSince = long.MinValue;
        _upSince = long.MinValue;
        Target = -1;
    }

    /// <summary>The best active layer in [<paramref name="from"/>, <paramref name="to"/>] that fits with
    /// <paramref name="headroom"/>, else <paramref name="otherwise"/>.</summary>
    private static int BestFitting(IReadOnlyList<SimulcastLayer> layers, long budget, long now, int from, int to, double headroom, int otherwise)
    {
        for (int i = to; i >= from; i--)
        {
            if (IsActive(layers[i], now) && Fits(layers[i], budget, headroom))
            {
                return i;
            }
        }

        return otherwise;
    }

    private static bool Fits(SimulcastLayer layer, long budget, double factor) => layer.Bitrate == 0 || layer.Bitrate * factor <= budget;

    private static bool IsActive(SimulcastLayer layer, long now) =>
        layer.LastPacketAt != long.MinValue && now - layer.LastPacketAt <= Producer.LayerTimeout;
}
