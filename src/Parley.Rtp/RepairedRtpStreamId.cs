namespace Parley.Rtp;

/// <summary>
/// The repaired RTP stream identifier element <c>urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id</c>
/// (RFC 8852 §3.2): on an RTX (or FEC) packet, the rid of the stream it repairs. Same syntax as
/// <see cref="RtpStreamId"/>.
/// </summary>
public readonly record struct RepairedRtpStreamId(string Value) : IRtpExtensionValue<RepairedRtpStreamId>
{
    public static string Uri => "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

    /// <summary>Decodes the value, which allocates its string.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out RepairedRtpStreamId element)
    {
        bool ok = ExtensionText.TryRead(value, ExtensionText.IsRidChar, out string text);
        element = ok ? new RepairedRtpStreamId(text) : default;
        return ok;
    }

    public int GetEncodedLength() => ExtensionText.GetEncodedLength(Value);

    public bool TryWrite(Span<byte> destination, out int written) =>
        ExtensionText.TryWrite(Value, ExtensionText.IsRidChar, destination, out written);

    public override string ToString() => Value ?? string.Empty;
}
