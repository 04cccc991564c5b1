namespace Parley.Sdp;

/// <summary>
/// One restriction of an <c>a=rid</c> line (RFC 8851 §4): <c>max-width=1280</c>, <c>max-fps=30</c>, or a name alone.
/// </summary>
public sealed record RidRestriction
{
    public const string MaxWidth = "max-width";
    public const string MaxHeight = "max-height";
    public const string MaxFps = "max-fps";
    public const string MaxFs = "max-fs";
    public const string MaxBr = "max-br";
    public const string MaxPps = "max-pps";
    public const string MaxBpp = "max-bpp";
    public const string Depend = "depend";

    public RidRestriction(string name, string? value = null)
    {
        Name = IsName(name) ? name : throw new ArgumentException($"'{name}' cannot be a restriction name.", nameof(name));
        Value = value is null || IsValue(value) ? value : throw new ArgumentException($"'{value}' cannot be a restriction value.", nameof(value));
    }

    public string Name { get; }

    public string? Value { get; }

    public override string ToString() => Value is null ? Name : $"{Name}={Value}";

    /// <summary>1*(alpha-numeric / "-").</summary>
    internal static bool IsName(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>param-val = *( %x20-3A / %x3C-7E ): printable ASCII but ';'.</summary>
    internal static bool IsValue(string text) => text.All(c => c is >= ' ' and <= '~' and not ';');
}
