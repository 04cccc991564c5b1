using System.Diagnostics.CodeAnalysis;

namespace Parley.Sdp;

/// <summary>
/// Reads SDP text (RFC 8866 §5, §9) into a <see cref="SessionDescription"/>, checking the structure and every known
/// attribute. Lines end in CRLF or a bare LF; the last may lack its terminator. Refused, with the line number: an empty
/// description or line, a line that is not <c>&lt;letter&gt;=&lt;value&gt;</c>, a CR inside a line, a description not
/// starting <c>v=0</c>, <c>o=</c>, <c>s=</c>, no <c>t=</c>, a session-only line in a media section, and any known line
/// or attribute that does not follow its grammar.
/// </summary>
internal static class SessionDescriptionParser
{
    /// <summary>Long enough for any real description; a bound so a hostile one cannot make us hold millions of lines.</summary>
    private const int MaxLength = 1 << 20;

    public static bool TryParse(string? text, [NotNullWhen(true)] out SessionDescription? description, [NotNullWhen(false)] out string? error)
    {
        description = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "The description is empty.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"The description is longer than {MaxLength} characters.";
            return false;
        }

        SessionDescription session = SessionDescription.CreateEmpty();
        SdpSection section = session;
        int number = 0;
        int timings = 0;
        for (int start = 0; start < text.Length;)
        {
            number++;
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline;
            int next = newline < 0 ? text.Length : newline + 1;
            if (end > start && text[end - 1] == '\r')
            {
                end--;
            }

            if (!TryReadLine(text, start, end, number, out char type, out string value, out error))
            {
                return false;
            }

            start = next;

            if (number <= 3)
            {
                if (!TryReadHeader(number, type, value, out error))
                {
                    return false;
                }

                session.AppendParsed(SdpLine.Trusted(type, value));
                continue;
            }

            if (type == 'm')
            {
                if (!MediaDescription.TryParseMediaLine(value, out MediaDescription? media))
                {
                    error = Describe(number, "a malformed m= line", $"m={value}");
                    return false;
                }

                session.AddMedia(media);
                section = media;
                continue;
            }

            if (!section.AllowsLine(type))
            {
                error = Describe(number, $"a {type}= line where it cannot stand", $"{type}={value}");
                return false;
            }

            if (!IsValidLine(type, value))
            {
                error = Describe(number, $"a malformed {(type == 'a' ? "a=" + SdpAttribute.NameOf(value) : type + "=")} line", $"{type}={value}");
                return false;
            }

            timings += section == session && type == 't' ? 1 : 0;
            section.AppendParsed(SdpLine.Trusted(type, value));
        }

        if (number < 3)
        {
            error = "The description ends before its v=, o= and s= lines.";
            return false;
        }

        if (timings == 0)
        {
            error = "The description has no t= line.";
            return false;
        }

        description = session;
        error = null;
        return true;
    }

    private static bool TryReadLine(string text, int start, int end, int number, out char type, out string value,
        [NotNullWhen(false)] out string? error)
    {
        type = '\0';
        value = "";
        ReadOnlySpan<char> line = text.AsSpan(start, end - start);
        if (line.IsEmpty)
        {
            error = $"Line {number} is empty.";
            return false;
        }

        if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetter(line[0]))
        {
            error = Describe(number, "no <type>= at its start", line.ToString());
            return false;
        }

        if (!SdpGrammar.IsLineText(line))
        {
            error = Describe(number, "a CR or NUL inside it", line.ToString());
            return false;
        }

        type = line[0];
        value = text.Substring(start + 2, end - start - 2);
        error = null;
        return true;
    }

    /// <summary>v=0, o= and s= come first, in that order (RFC 8866 §5).</summary>
    private static bool TryReadHeader(int number, char type, string value, [NotNullWhen(false)] out string? error)
    {
        (char expected, bool valid) = number switch
        {
            1 => ('v', value == "0"),
            2 => ('o', Origin.TryParse(value, out _)),
            _ => ('s', true),
        };

        error = type != expected ? $"Line {number} should be the {expected}= line but is {type}=."
            : !valid ? Describe(number, $"a malformed {type}= line", $"{type}={value}")
            : null;
        return error is null;
    }

    private static bool IsValidLine(char type, string value) => type switch
    {
        'c' => ConnectionData.TryParse(value, out _),
        'b' => Bandwidth.TryParse(value, out _),
        't' => Timing.TryParse(value, out _),
        'a' => SdpSection.IsValidAttributeLine(value),
        _ => true,
    };

    private static string Describe(int number, string problem, string line) =>
        $"Line {number} has {problem}: \"{(line.Length <= 80 ? line : line[..77] + "...")}\".";
}
