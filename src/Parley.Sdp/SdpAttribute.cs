using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// An attribute (RFC 8866 §5.13) as written: <c>a=&lt;name&gt;</c> (a property attribute, <see cref="Value"/> null) or
/// <c>a=&lt;name&gt;:&lt;value&gt;</c>. The typed attributes (<see cref="Rtpmap"/>, <see cref="IceCandidate"/>...) read
/// and write the value part.
/// </summary>
public sealed record SdpAttribute
{
    public SdpAttribute(string name, string? value = null)
    {
        Name = SdpGrammar.RequireToken(name, nameof(name));
        Value = value is null || SdpGrammar.IsLineText(value)
            ? value
            : throw new ArgumentException("An attribute value cannot hold CR, LF or NUL.", nameof(value));
    }

    private SdpAttribute(string name, string? value, bool _)
    {
        Name = name;
        Value = value;
    }

    public string Name { get; }

    public string? Value { get; }

    /// <summary>The text after <c>a=</c>.</summary>
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";

    /// <summary>Reads the text after <c>a=</c>; false if the name is not a token.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SdpAttribute? attribute)
    {
        string name = NameOf(text);
        if (!SdpGrammar.IsToken(name) || !SdpGrammar.IsLineText(text))
        {
            attribute = null;
            return false;
        }

        attribute = new SdpAttribute(name, name.Length == text.Length ? null : text[(name.Length + 1)..], true);
        return true;
    }

    internal static string NameOf(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : text[..colon];
    }

    /// <summary>Whether the text after <c>a=</c> names this attribute, without allocating.</summary>
    internal static bool HasName(string text, string name) =>
        text.StartsWith(name, StringComparison.Ordinal) && (text.Length == name.Length || text[name.Length] == ':');

    /// <summary>The value part of the text after <c>a=</c>, or null for a property attribute.</summary>
    internal static string? ValueOf(string text, string name) =>
        text.Length == name.Length ? null : text[(name.Length + 1)..];
}
