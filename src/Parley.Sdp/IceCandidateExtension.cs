namespace Parley.Sdp;

/// <summary>
/// An extension pair after the candidate type (RFC 8839 §5.1 cand-extension): <c>generation 0</c>, <c>ufrag qeyF</c>,
/// <c>network-id 1</c>, <c>network-cost 999</c>, <c>tcptype active</c> (RFC 6544 §4.5).
/// </summary>
public sealed record IceCandidateExtension
{
    public const string Generation = "generation";
    public const string UsernameFragment = "ufrag";
    public const string NetworkId = "network-id";
    public const string NetworkCost = "network-cost";
    public const string TcpType = "tcptype";

    public IceCandidateExtension(string name, string value)
    {
        Name = SdpGrammar.RequireToken(name, nameof(name));
        Value = SdpGrammar.RequireNonWhitespace(value, nameof(value));
    }

    public string Name { get; }

    public string Value { get; }

    public override string ToString() => $"{Name} {Value}";
}
