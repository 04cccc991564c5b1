namespace Parley.Rtp;

/// <summary>
/// The value of a typed RFC 8285 header extension element, known by the URI that <c>a=extmap</c> maps to a local
/// id. Read with <see cref="RtpHeaderExtension.TryGet{T}"/>, written with
/// <see cref="RtpHeaderExtensionBuilder.TryAdd{T}"/> or overwritten in place with
/// <see cref="RtpPacketRewriter.TrySetExtension{T}"/>.
/// </summary>
public interface IRtpExtensionValue<TSelf> : IWireEncodable where TSelf : struct, IRtpExtensionValue<TSelf>
{
    /// <summary>The extension's URI in SDP (RFC 8285 §5).</summary>
    static abstract string Uri { get; }

    /// <summary>Decodes an element's value; malformed values give false, never an exception.</summary>
    static abstract bool TryRead(ReadOnlySpan<byte> value, out TSelf element);

}
