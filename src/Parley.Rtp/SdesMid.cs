namespace Parley.Rtp;

/// <summary>
/// The media identification element <c>urn:ietf:params:rtp-hdrext:sdes:mid</c> (RFC 8843 §15.2, RFC 7941): the
/// <c>a=mid</c> of the m-line a packet belongs to, which lets a BUNDLE receiver route a new SSRC. An
/// identification-tag (RFC 5888): 1-255 token characters.
/// </summary>
public readonly record struct SdesMid(string Value) : IRtpExtensionValue<SdesMid>
{
    public static string Uri => "urn:ietf:params:rtp-hdrext:sdes:mid";

    /// <summary>Decodes the value, which allocates its string.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out SdesMid element)
    {
        bool ok = ExtensionText.TryRead(value, ExtensionText.IsTokenChar, out string text);
        element = ok ? new SdesMid(text) : default;
        return ok;
    }

    public int GetEncodedLength() => ExtensionText.GetEncodedLength(Value);

    public bool TryWrite(Span<byte> destination, out int written) =>
        ExtensionText.TryWrite(Value, ExtensionText.IsTokenChar, destination, out written);

    public override string ToString() => Value ?? string.Empty;
}
