namespace Parley.Rtp;

/// <summary>
/// Writes RFC 8285 elements into a caller's buffer, in the order they are added, and gives the block padded with
/// zeros to a whole number of words, ready for <see cref="RtpPacket.Extension"/>. Nothing is allocated.
/// </summary>
public ref struct RtpHeaderExtensionBuilder
{
    public const int MaxOneByteId = 14;
    public const int MaxOneByteLength = 16;
    public const int MaxTwoByteLength = 255;

    private readonly Span<byte> _buffer;
    private int _length;

    /// <param name="buffer">Space for the elements and up to three bytes of padding.</param>
    /// <param name="form">One-byte or two-byte; <see cref="RtpExtensionForm.Other"/> has no elements to add.</param>
    /// <param name="appBits">The two-byte form's application bits (0-15).</param>
    public RtpHeaderExtensionBuilder(Span<byte> buffer, RtpExtensionForm form, byte appBits = 0)
    {
        if (form is not (RtpExtensionForm.OneByte or RtpExtensionForm.TwoByte))
        {
            throw new ArgumentOutOfRangeException(nameof(form), form, "Only the RFC 8285 forms have elements.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(appBits, (byte)0x0F);
        if (form == RtpExtensionForm.OneByte && appBits != 0)
        {
            throw new ArgumentException("The one-byte form has no application bits.", nameof(appBits));
        }

        _buffer = buffer;
        Form = form;
        Profile = form == RtpExtensionForm.OneByte
            ? RtpHeaderExtension.OneByteProfile
            : (ushort)(RtpHeaderExtension.TwoByteProfile | appBits);
        _length = 0;
    }

    public RtpExtensionForm Form { get; }

    public ushort Profile { get; }

    /// <summary>The length of the block's data once padded.</summary>
    public readonly int PaddedLength => (_length + 3) & ~3;

    /// <summary>Whether an element of this id and value length can be written in the one-byte form.</summary>
    public static bool FitsOneByteForm(byte id, int valueLength) =>
        id is >= 1 and <= MaxOneByteId && valueLength is >= 1 and <= MaxOneByteLength;

    /// <summary>Adds an element; false when the id or length is invalid for the form or the buffer is full.</summary>
    public bool TryAdd(byte id, scoped ReadOnlySpan<byte> value)
    {
        if (!TryReserve(id, value.Length, out Span<byte> destination))
        {
            return false;
        }

        value.CopyTo(destination);
        return true;
    }

    /// <summary>Adds a typed element; false as for <see cref="TryAdd(byte, ReadOnlySpan{byte})"/> or when the
    /// value itself is out of range (nothing is written then).</summary>
    public bool TryAdd<T>(byte id, in T value) where T : struct, IRtpExtensionValue<T>
    {
        int start = _length;
        if (!TryReserve(id, value.GetEncodedLength(), out Span<byte> destination))
        {
            return false;
        }

        if (!value.TryWrite(destination, out int written) || written != destination.Length)
        {
            _length = start;
            return false;
        }

        return true;
    }

    /// <summary>Pads the data with zeros to a word boundary and returns the block, a view over the buffer.</summary>
    public RtpHeaderExtension Build()
    {
        int padded = PaddedLength;
        _buffer[_length..padded].Clear();
        return new RtpHeaderExtension(Profile, _buffer[..padded]);
    }

    private bool TryReserve(byte id, int valueLength, out Span<byte> destination)
    {
        destination = default;
        int headerLength;
        if (Form == RtpExtensionForm.OneByte)
        {
            if (!FitsOneByteForm(id, valueLength))
            {
                return false;
            }

            headerLength = 1;
        }
        else
        {
            if (id == 0 || valueLength is < 0 or > MaxTwoByteLength)
            {
                return false;
            }

            headerLength = 2;
        }

        int end = _length + headerLength + valueLength;
        int paddedEnd = (end + 3) & ~3;
        if (paddedEnd > _buffer.Length || paddedEnd > RtpHeaderExtension.MaxDataLength)
        {
            return false;
        }

        if (Form == RtpExtensionForm.OneByte)
        {
            _buffer[_length] = (byte)((id << 4) | (valueLength - 1));
        }
        else
        {
            _buffer[_length] = id;
            _buffer[_length + 1] = (byte)valueLength;
        }

        destination = _buffer.Slice(_length + headerLength, valueLength);
        _length = end;
        return true;
    }
}
