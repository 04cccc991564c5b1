using System.Text;

namespace Parley.Rtp;

/// <summary>
/// The ASCII identifiers that WebRTC carries in header extension elements (RFC 7941 §4: an SDES item's text, not
/// null-terminated). Some senders pad the value with NUL bytes, so a value ends at its first NUL.
/// </summary>
internal static class ExtensionText
{
    /// <summary>The two-byte form's longest value; the one-byte form allows 16.</summary>
    public const int MaxLength = 255;

    public static bool TryRead(ReadOnlySpan<byte> value, Func<char, bool> isAllowed, out string text)
    {
        int end = value.IndexOf((byte)0);
        ReadOnlySpan<byte> chars = end < 0 ? value : value[..end];
        text = string.Empty;
        if (chars.IsEmpty)
        {
            return false;
        }

        foreach (byte c in chars)
        {
            if (!isAllowed((char)c))
            {
                return false;
            }
        }

        text = Encoding.ASCII.GetString(chars); // every byte was checked to be an allowed ASCII character
        return true;
    }

    public static int GetEncodedLength(string? text) => text?.Length ?? 0;

    public static bool TryWrite(string? text, Func<char, bool> isAllowed, Span<byte> destination, out int written)
    {
        written = 0;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || destination.Length < text.Length)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!isAllowed(c))
            {
                return false;
            }
        }

        for (int i = 0; i < text.Length; i++)
        {
            destination[i] = (byte)text[i];
        }

        written = text.Length;
        return true;
    }

    /// <summary>RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_").</summary>
    public static bool IsRidChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    /// <summary>RFC 4566 §9 token-char, of which RFC 5888's identification-tag is made.</summary>
    public static bool IsTokenChar(char c) =>
        c is '!' or (>= '#' and <= '\'') or '*' or '+' or '-' or '.' or (>= '0' and <= '9') or (>= 'A' and <= 'Z')
            or (>= '^' and <= '~');
}
