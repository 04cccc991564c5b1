using System.Globalization;

namespace Parley.Sdp;

/// <summary>
/// The lexical rules of RFC 8866 §9 that every parser here shares: tokens, unsigned decimal numbers without sign,
/// space or leading "+", and fields split on single spaces. Nothing here throws on bad input.
/// </summary>
internal static class SdpGrammar
{
    /// <summary>token-char (RFC 8866 §9): visible ASCII except the separators <c>"(),/:;&lt;=&gt;?@[\]</c>.</summary>
    public static bool IsTokenChar(char c) =>
        c is '!' or (>= '#' and <= '\'') or '*' or '+' or '-' or '.' or (>= '0' and <= '9') or (>= 'A' and <= 'Z')
            or (>= '^' and <= '~');

    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>ice-char (RFC 8839 §5.1): ALPHA / DIGIT / "+" / "/".</summary>
    public static bool IsIceChars(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '/')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A non-empty string without spaces or control characters (non-ws-string, RFC 8866 §9).</summary>
    public static bool IsNonWhitespace(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c <= ' ' || c == '\x7F')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Text that may stand in a line: no CR, LF or NUL (RFC 8866 §5).</summary>
    public static bool IsLineText(ReadOnlySpan<char> text) => !text.ContainsAny('\r', '\n', '\0');

    /// <summary>alpha-numeric / "-" / "_", non-empty: a rid-id (RFC 8851 §10).</summary>
    public static bool IsRidId(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParseUInt64(ReadOnlySpan<char> text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseUInt32(ReadOnlySpan<char> text, out uint value) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Digits only, between <paramref name="min"/> and <paramref name="max"/> inclusive.</summary>
    public static bool TryParseInt(ReadOnlySpan<char> text, int min, int max, out int value)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        value = 0;
        return false;
    }

    public static bool TryParsePort(ReadOnlySpan<char> text, out int port) => TryParseInt(text, 0, 65535, out port);

    public static bool TryParsePayloadType(ReadOnlySpan<char> text, out int payloadType) =>
        TryParseInt(text, 0, 127, out payloadType);

    /// <summary>Splits on single spaces: false if the text is empty, or has a leading, trailing or doubled space.</summary>
    public static bool TrySplitFields(string text, out string[] fields)
    {
        fields = text.Split(' ');
        foreach (string field in fields)
        {
            if (field.Length == 0)
            {
                fields = [];
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits "first rest" at the first space; false if there is no space or either side is empty.</summary>
    public static bool TrySplitFirst(string text, out string first, out string rest)
    {
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1)
        {
            first = rest = "";
            return false;
        }

        first = text[..space];
        rest = text[(space + 1)..];
        return true;
    }

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(uint value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>For builders: an argument that would make the description unparseable is a programming error.</summary>
    public static string RequireToken(string value, string name) =>
        IsToken(value) ? value : throw new ArgumentException($"'{value}' is not an SDP token.", name);

    public static string RequireNonWhitespace(string value, string name) =>
        IsNonWhitespace(value) ? value : throw new ArgumentException($"'{value}' is empty or has white space.", name);

    public static int RequireRange(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"Must be {min}-{max}.");
}
