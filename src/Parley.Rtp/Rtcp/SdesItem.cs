using System.Text;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// One SDES item (RFC 3550 §6.5): a type, an 8-bit length and up to 255 bytes of UTF-8 text. A view over the
/// packet's bytes.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     type      |     length    | text in UTF-8             ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly ref struct SdesItem
{
    public const int MaxLength = 255;

    public SdesItem(SdesItemType type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public SdesItemType Type { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Decodes the text, which allocates a string.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Value);
}
