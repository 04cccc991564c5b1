namespace Parley.Sdp;

/// <summary>
/// One format parameter of an <c>a=fmtp</c> line: <c>name=value</c>, or a bare value with no '=' such as RED's
/// <c>111/111</c> (RFC 2198) or telephone-event's <c>0-15</c> (RFC 4733), kept as <see cref="Name"/> with no value.
/// </summary>
public sealed record FmtpParameter
{
    public FmtpParameter(string name, string? value = null)
    {
        Name = name.Length > 0 && SdpGrammar.IsLineText(name) && !name.Contains(';', StringComparison.Ordinal)
            && !name.Contains('=', StringComparison.Ordinal)
            ? name
            : throw new ArgumentException($"'{name}' cannot be a parameter name.", nameof(name));
        Value = value is null || (SdpGrammar.IsLineText(value) && !value.Contains(';', StringComparison.Ordinal))
            ? value
            : throw new ArgumentException($"'{value}' cannot be a parameter value.", nameof(value));
    }

    public string Name { get; }

    public string? Value { get; }

    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}
