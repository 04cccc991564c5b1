using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// The header extension block of an RTP packet (RFC 3550 §5.3.1), whose elements follow RFC 8285 when the profile
/// is 0xBEDE (one-byte form) or 0x100X (two-byte form). A view: it copies neither the data it was read from nor
/// the data it was given.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      defined by profile       |           length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        header extension                       |
/// |                             ....                              |
/// </code>
/// The length counts the 32-bit words after the first four bytes.
/// </summary>
public readonly ref struct RtpHeaderExtension : IWireEncodable
{
    public const ushort OneByteProfile = 0xBEDE;

    /// <summary>The two-byte form's profile with its four application bits zero.</summary>
    public const ushort TwoByteProfile = 0x1000;

    public const int HeaderLength = 4;

    /// <summary>The most data the 16-bit word count can describe.</summary>
    public const int MaxDataLength = ushort.MaxValue * 4;

    /// <param name="profile">The 16 "defined by profile" bits.</param>
    /// <param name="data">The block's data, padding included: a multiple of four bytes to be writable.</param>
    public RtpHeaderExtension(ushort profile, ReadOnlySpan<byte> data)
    {
        Profile = profile;
        Data = data;
        IsPresent = true;
    }

    /// <summary>False for <c>default</c>: a packet without the X bit.</summary>
    public bool IsPresent { get; }

    public ushort Profile { get; }

    /// <summary>Everything after the 4-byte header: elements and padding.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public RtpExtensionForm Form => Profile == OneByteProfile ? RtpExtensionForm.OneByte
        : (Profile & 0xFFF0) == TwoByteProfile ? RtpExtensionForm.TwoByte
        : RtpExtensionForm.Other;

    /// <summary>The two-byte form's four application-dependent bits (RFC 8285 §4.3); zero otherwise.</summary>
    public byte AppBits => Form == RtpExtensionForm.TwoByte ? (byte)(Profile & 0x0F) : (byte)0;

    /// <summary>Reads a block that is exactly <paramref name="data"/>: header, then as many words as it says.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtpHeaderExtension extension) =>
        TryReadPrefix(data, out extension) && extension.GetEncodedLength() == data.Length;

    /// <summary>Reads the block at the start of <paramref name="data"/>, which may go on.</summary>
    internal static bool TryReadPrefix(ReadOnlySpan<byte> data, out RtpHeaderExtension extension)
    {
        extension = default;
        if (data.Length < HeaderLength)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]) * 4;
        if (length > data.Length - HeaderLength)
        {
            return false;
        }

        extension = new RtpHeaderExtension(BinaryPrimitives.ReadUInt16BigEndian(data), data.Slice(HeaderLength, length));
        return true;
    }

    public int GetEncodedLength() => HeaderLength + Data.Length;

    /// <summary>False when the data is not a whole number of words, is too long, or does not fit.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (!IsPresent || Data.Length % 4 != 0 || Data.Length > MaxDataLength || destination.Length < length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, Profile);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(Data.Length / 4));
        Data.CopyTo(destination[HeaderLength..]);
        written = length;
        return true;
    }

    /// <summary>The RFC 8285 elements, in order; none for another profile.</summary>
    public RtpExtensionEnumerator GetElements() => new(Form, Data);

    /// <summary>The value of the first element with this id.</summary>
    public bool TryGetElement(byte id, out ReadOnlySpan<byte> value)
    {
        foreach (RtpExtensionElement element in GetElements())
        {
            if (element.Id == id)
            {
                value = element.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads a typed element: false when it is absent or its value is malformed.</summary>
    public bool TryGet<T>(byte id, out T value) where T : struct, IRtpExtensionValue<T>
    {
        if (TryGetElement(id, out ReadOnlySpan<byte> raw))
        {
            return T.TryRead(raw, out value);
        }

        value = default;
        return false;
    }

    /// <summary>Where the value of the first element with this id starts within <see cref="Data"/>.</summary>
    internal bool TryFindElement(byte id, out int valueOffset, out int valueLength)
    {
        foreach (RtpExtensionElement element in GetElements())
        {
            if (element.Id == id)
            {
                valueOffset = element.ValueOffset;
                valueLength = element.Value.Length;
                return true;
            }
        }

        valueOffset = valueLength = 0;
        return false;
    }
}
