namespace Parley.Rtp;

/// <summary>
/// One element of an RFC 8285 header extension block: its local identifier, negotiated per session with
/// <c>a=extmap</c>, and its value, a view over the packet's bytes.
/// </summary>
public readonly ref struct RtpExtensionElement
{
    internal RtpExtensionElement(byte id, ReadOnlySpan<byte> value, int valueOffset)
    {
        Id = id;
        Value = value;
        ValueOffset = valueOffset;
    }

    public byte Id { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Where the value starts within the extension block's data (after its 4-byte header).</summary>
    internal int ValueOffset { get; }
}
