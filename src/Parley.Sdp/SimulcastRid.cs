namespace Parley.Sdp;

/// <summary>One rid in an <c>a=simulcast</c> list (RFC 8853 §5.1): the rid-id, and whether it is paused (<c>~</c>).</summary>
public sealed record SimulcastRid
{
    public SimulcastRid(string rid, bool paused = false)
    {
        Rid = SdpGrammar.IsRidId(rid) ? rid : throw new ArgumentException($"'{rid}' is not a rid-id.", nameof(rid));
        Paused = paused;
    }

    public string Rid { get; }

    public bool Paused { get; }

    public override string ToString() => Paused ? "~" + Rid : Rid;
}
