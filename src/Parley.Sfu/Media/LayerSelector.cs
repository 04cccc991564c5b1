namespace Parley.Sfu.Media;

/// <summary>
/// Which encoding of a video producer one consumer should send, given the bitrate its subscriber's link has for
/// it (the budget): with hysteresis, so a noisy estimate does not make it switch (each switch costs a key frame):
/// <list type="bullet">
/// <item>down at once when the budget falls below the target layer's measured bitrate (to the best layer that fits);</item>
/// <item>up only when a better layer has fitted with <see cref="UpHeadroom"/> for <see cref="UpDelay"/>;</item>
/// <item>paused when even the lowest active layer does not fit (for a producer without simulcast, when the budget is
/// below <see cref="SinglePauseFraction"/> of its bitrate: its publisher's encoder adapts to its own uplink, not to
/// this subscriber, so only a link far too slow for it is given up on), and resumed when the lowest fits again with
/// <see cref="ResumeHeadroom"/> for <see cref="ResumeDelay"/>.</item>
/// <item>Paused, the subscriber receives no video, so its estimate cannot grow (libwebrtc lets its REMB rise only
/// to about 1.5 times what arrives): after <see cref="FirstTrial"/> paused, the lowest layer is tried again anyway
/// (probing with media). The trial lasts while the budget does not fall below <see cref="TrialDrop"/> of what it
/// was when it began (a falling estimate is the link saying no); it ends well when the lowest layer fits, and a
/// trial that ends in another pause doubles the wait for the next, up to <see cref="LastTrial"/>.</item>
/// </list>
/// A budget of 0 means unknown: the best active layer, never paused. A layer not measured yet (bitrate 0) counts as
/// fitting. Times are milliseconds; state is touched only on the media port's receive loop.
/// </summary>
internal sealed class LayerSelector
{
    public const double UpHeadroom = 1.2;
    public const long UpDelay = 3000;
    public const double ResumeHeadroom = 1.2;
    public const long ResumeDelay = 2000;
    public const double SinglePauseFraction = 0.5;
    public const long FirstTrial = 8000;
    public const long LastTrial = 60_000;
    public const double TrialDrop = 0.85;

    private long _upSince = long.MinValue;
    private long _resumeSince = long.MinValue;
    private long _pausedAt = long.MinValue;
    private long _trialAfter = FirstTrial;
    private long _trialBudget;

    /// <summary>The layer to send; -1 when paused or when no layer is active.</summary>
    public int Target { get; private set; } = -1;

    /// <summary>Whether video is paused because the budget does not fit it.</summary>
    public bool Paused { get; private set; }

    /// <summary>Whether the lowest layer is being tried after a pause although the budget does not fit it yet.</summary>
    public bool Trying { get; private set; }

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
            Paused = false;
            Trying = false;
            _upSince = long.MinValue;
            Target = highest;
            return Target;
        }

        double pauseFactor = layers.Count > 1 ? 1.0 : SinglePauseFraction;
        if (Paused)
        {
            return TryResume(layers, budget, now, lowest, highest, pauseFactor);
        }

        bool lowestFits = Fits(layers[lowest], budget, pauseFactor);
        if (Trying)
        {
            if (budget < _trialBudget * TrialDrop)
            {
                Pause(now, failedTrial: true);
                return Target;
            }

            if (!lowestFits)
            {
                Target = lowest;
                return Target;
            }

            Trying = false;
            _trialAfter = FirstTrial;
        }
        else if (!lowestFits)
        {
            Pause(now, failedTrial: false);
            return Target;
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

        _upSince = long.MinValue;
        if (fits && now - _resumeSince >= ResumeDelay)
        {
            Paused = false;
            _trialAfter = FirstTrial;
            Target = BestFitting(layers, budget, now, lowest, highest, ResumeHeadroom, lowest);
        }
        else if (now - _pausedAt >= _trialAfter)
        {
            Paused = false;
            Trying = true;
            _trialBudget = budget;
            Target = lowest;
        }

        return Target;
    }

    private void Pause(long now, bool failedTrial)
    {
        _trialAfter = failedTrial ? Math.Min(_trialAfter * 2, LastTrial) : FirstTrial;
        Paused = true;
        Trying = false;
        _pausedAt = now;
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
