using System.Text;

namespace Parley.Stun.Attributes;

/// <summary>UTF-8 text attribute values (USERNAME, REALM, NONCE, SOFTWARE...), held as the bytes on the wire.</summary>
internal static class TextValue
{
    /// <summary>RFC 8489's limit for text attributes of "fewer than 128 characters": 763 bytes.</summary>
    public const int MaxTextBytes = 763;

    public static ReadOnlyMemory<byte> Encode(string text, int maxBytes, string paramName)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length <= maxBytes
            ? bytes
            : throw new ArgumentException($"The text is longer than {maxBytes} bytes in UTF-8.", paramName);
    }

    public static string Decode(ReadOnlyMemory<byte> utf8) => Encoding.UTF8.GetString(utf8.Span);
}
