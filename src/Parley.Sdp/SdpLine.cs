namespace Parley.Sdp;

/// <summary>
/// One line of a session description (RFC 8866 §5): <c>&lt;type&gt;=&lt;value&gt;</c>, a one-letter type and its value
/// exactly as written. Descriptions keep every line in order, so lines nobody here understands survive a rewrite.
/// </summary>
public sealed record SdpLine
{
    public SdpLine(char type, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Type = char.IsAsciiLetter(type) ? type : throw new ArgumentException($"'{type}' is not a line type.", nameof(type));
        Value = SdpGrammar.IsLineText(value) ? value : throw new ArgumentException("A line cannot hold CR, LF or NUL.", nameof(value));
    }

    /// <summary>For the parser, which has checked both already.</summary>
    private SdpLine(char type, string value, bool _)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The type letter: v, o, s, i, u, e, p, c, b, t, r, z, k, a or m, or one this library does not know.</summary>
    public char Type { get; }

    public string Value { get; }

    public bool IsAttribute => Type == 'a';

    /// <summary>The attribute name of an <c>a=</c> line (the text before the first colon), else null.</summary>
    public string? AttributeName => IsAttribute ? SdpAttribute.NameOf(Value) : null;

    public override string ToString() => $"{Type}={Value}";

    internal static SdpLine Trusted(char type, string value) => new(type, value, true);
}
