namespace Parley.Bench.Turn;

/// <summary>
/// Whether the load threads record round-trip times now: set by the coordinating thread for the measured interval
/// only, read by the load threads once per wake-up.
/// </summary>
internal sealed class RecordingFlag
{
    private volatile bool _on;

    public bool IsOn => _on;

    public void Set(bool on) => _on = on;
}
