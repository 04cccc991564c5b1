using System.Globalization;

namespace Parley.Bench.Turn;

/// <summary>An inclusive range of UDP ports, such as a TURN server's relay ports.</summary>
internal readonly record struct PortRange(int Min, int Max)
{
    public int Count => Max - Min + 1;

    public bool Contains(int port) => port >= Min && port <= Max;

    public bool Overlaps(PortRange other) => Min <= other.Max && other.Min <= Max;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
