namespace Parley.Rtp;

/// <summary>
/// Walks the elements of an RFC 8285 header extension block without allocating, skipping padding bytes. It stops
/// at the first element that runs past the block, at a one-byte id of 15 (§4.2: processing ends there) and at a
/// one-byte padding id with a non-zero length; the elements before are still returned. A block of another
/// profile has no elements.
/// </summary>
public ref struct RtpExtensionEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly RtpExtensionForm _form;
    private int _offset;

    internal RtpExtensionEnumerator(RtpExtensionForm form, ReadOnlySpan<byte> data)
    {
        _form = form;
        _data = data;
        _offset = 0;
        Current = default;
    }

    public RtpExtensionElement Current { get; private set; }

    public readonly RtpExtensionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_offset < _data.Length)
        {
            byte first = _data[_offset];
            if (first == 0)
            {
                _offset++; // a padding byte, in either form
                continue;
            }

            int id, length, valueOffset;
            if (_form == RtpExtensionForm.OneByte)
            {
                id = first >> 4;
                length = (first & 0x0F) + 1;
                valueOffset = _offset + 1;
                if (id is 0 or 15)
                {
                    break;
                }
            }
            else if (_form == RtpExtensionForm.TwoByte && _offset + 1 < _data.Length)
            {
                id = first;
                length = _data[_offset + 1];
                valueOffset = _offset + 2;
            }
            else
            {
                break;
            }

            if (length > _data.Length - valueOffset)
            {
                break;
            }

            Current = new RtpExtensionElement((byte)id, _data.Slice(valueOffset, length), valueOffset);
            _offset = valueOffset + length;
            return true;
        }

        _offset = _data.Length;
        return false;
    }
}
