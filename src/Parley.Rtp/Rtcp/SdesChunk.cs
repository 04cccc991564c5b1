using System.Buffers.Binary;
using System.Text;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// One chunk of an SDES packet (RFC 3550 §6.5): a source and its items. Read from a packet, a view over its items'
/// bytes; from a <see cref="CnameChunk"/>, its single CNAME item.
/// </summary>
public readonly ref struct SdesChunk
{
    private readonly ReadOnlySpan<byte> _items;
    private readonly ReadOnlySpan<byte> _cname;
    private readonly bool _isCnameOnly;

    private SdesChunk(uint ssrc, ReadOnlySpan<byte> items, ReadOnlySpan<byte> cname, bool isCnameOnly)
    {
        Ssrc = ssrc;
        _items = items;
        _cname = cname;
        _isCnameOnly = isCnameOnly;
    }

    public uint Ssrc { get; }

    public ItemEnumerator GetItems() => new(_items, _cname, _isCnameOnly);

    /// <summary>The first item of this type.</summary>
    public bool TryGetItem(SdesItemType type, out ReadOnlySpan<byte> value)
    {
        foreach (SdesItem item in GetItems())
        {
            if (item.Type == type)
            {
                value = item.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The CNAME, decoded (which allocates), or null when the chunk has none.</summary>
    public string? Cname => TryGetItem(SdesItemType.Cname, out ReadOnlySpan<byte> value) ? Encoding.UTF8.GetString(value) : null;

    /// <summary>A chunk over validated wire items (the list up to, not including, the null item).</summary>
    internal static SdesChunk FromWire(uint ssrc, ReadOnlySpan<byte> items) => new(ssrc, items, default, false);

    internal static SdesChunk FromCname(CnameChunk chunk) => new(chunk.Ssrc, default, chunk.Cname.Span, true);

    /// <summary>
    /// Reads the chunk at the start of <paramref name="data"/>: an SSRC, items, a null octet and null padding to the
    /// next word. Returns its length, or 0 when it is malformed.
    /// </summary>
    internal static int TryReadPrefix(ReadOnlySpan<byte> data, out SdesChunk chunk)
    {
        chunk = default;
        if (data.Length < 8)
        {
            return 0;
        }

        int offset = 4;
        while (offset < data.Length && data[offset] != 0)
        {
            if (offset + 2 > data.Length || offset + 2 + data[offset + 1] > data.Length)
            {
                return 0;
            }

            offset += 2 + data[offset + 1];
        }

        if (offset >= data.Length)
        {
            return 0; // no null item
        }

        int end = (offset + 4) & ~3; // the null octet, then nulls to the next word boundary
        if (end > data.Length || data[offset..end].ContainsAnyExcept((byte)0))
        {
            return 0;
        }

        chunk = FromWire(BinaryPrimitives.ReadUInt32BigEndian(data), data[4..offset]);
        return end;
    }

    /// <summary>The items of a chunk, in order.</summary>
    public ref struct ItemEnumerator
    {
        private readonly ReadOnlySpan<byte> _items;
        private readonly ReadOnlySpan<byte> _cname;
        private readonly bool _isCnameOnly;
        private int _offset;

        internal ItemEnumerator(ReadOnlySpan<byte> items, ReadOnlySpan<byte> cname, bool isCnameOnly)
        {
            _items = items;
            _cname = cname;
            _isCnameOnly = isCnameOnly;
            _offset = 0;
            Current = default;
        }

        public SdesItem Current { get; private set; }

        public readonly ItemEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_isCnameOnly)
            {
                if (_offset != 0)
                {
                    return false;
                }

                Current = new SdesItem(SdesItemType.Cname, _cname);
                _offset = 1;
                return true;
            }

            if (_offset + 2 > _items.Length)
            {
                return false;
            }

            int length = _items[_offset + 1];
            Current = new SdesItem((SdesItemType)_items[_offset], _items.Slice(_offset + 2, length));
            _offset += 2 + length;
            return true;
        }
    }
}
