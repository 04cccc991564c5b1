namespace Parley.Sdp;

/// <summary>
/// One simulcast stream of an <c>a=simulcast</c> list (RFC 8853 §5.1): its rids separated by ',', which are
/// alternative formats of the same stream (the first preferred), e.g. <c>1,~4</c>.
/// </summary>
public sealed class SimulcastStream : IEquatable<SimulcastStream>
{
    public SimulcastStream(IEnumerable<SimulcastRid> alternatives)
    {
        Alternatives = [.. alternatives];
        if (Alternatives.Count == 0)
        {
            throw new ArgumentException("A simulcast stream needs at least one rid.", nameof(alternatives));
        }
    }

    public SimulcastStream(string rid, bool paused = false)
        : this([new SimulcastRid(rid, paused)])
    {
    }

    public IReadOnlyList<SimulcastRid> Alternatives { get; }

    /// <summary>The first, preferred, rid.</summary>
    public SimulcastRid First => Alternatives[0];

    public override string ToString() => string.Join(',', Alternatives);

    public bool Equals(SimulcastStream? other) => other is not null && SequenceEquality.Equal(Alternatives, other.Alternatives);

    public override bool Equals(object? obj) => Equals(obj as SimulcastStream);

    public override int GetHashCode() => SequenceEquality.Hash(Alternatives);
}
