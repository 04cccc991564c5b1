namespace Parley.Rtp;

/// <summary>
/// The RTP stream identifier element <c>urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id</c> (RFC 8852 §3.1): the
/// <c>a=rid</c> of a simulcast layer. An rid-id (RFC 8851 §10): letters, digits, '-' and '_'.
/// </summary>
public readonly record struct RtpStreamId(string Value) : IRtpExtensionValue<RtpStreamId>
{
    public static string Uri => "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";

    /// <summary>Decodes the value, which allocates its string.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out RtpStreamId element)
    {
        bool ok = ExtensionText.TryRead(value, ExtensionText.IsRidChar, out string text);
        element = ok ? new RtpStreamId(text) : default;
        return ok;
    }

    public int GetEncodedLength() => ExtensionText.GetEncodedLength(Value);

    public bool TryWrite(Span<byte> destination, out int written) =>
        ExtensionText.TryWrite(Value, ExtensionText.IsRidChar, destination, out written);

    public override string ToString() => Value ?? string.Empty;
}
