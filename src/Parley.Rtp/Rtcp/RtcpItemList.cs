namespace Parley.Rtp.Rtcp;

/// <summary>
/// The fixed-size entries of an RTCP packet: either a view over the bytes of a parsed packet, decoded entry by entry
/// when read, or a span of entries given for writing. It copies neither.
/// </summary>
public readonly ref struct RtcpItemList<T> where T : struct, IRtcpFixedItem<T>
{
    private readonly ReadOnlySpan<byte> _wire;
    private readonly ReadOnlySpan<T> _items;

    /// <summary>Wraps entries to write.</summary>
    public RtcpItemList(ReadOnlySpan<T> items) => _items = items;

    private RtcpItemList(ReadOnlySpan<byte> wire, bool _) => _wire = wire;

    public int Count => _wire.IsEmpty ? _items.Length : _wire.Length / T.EncodedLength;

    public bool IsEmpty => Count == 0;

    public T this[int index]
    {
        get
        {
            if (_wire.IsEmpty)
            {
                return _items[index];
            }

            T.TryRead(_wire.Slice(index * T.EncodedLength, T.EncodedLength), out T item);
            return item;
        }
    }

    /// <summary>The bytes these entries take on the wire.</summary>
    public int EncodedLength => Count * T.EncodedLength;

    public Enumerator GetEnumerator() => new(this);

    /// <summary>A view over <paramref name="wire"/>, whose length must be a multiple of the entry size.</summary>
    internal static RtcpItemList<T> FromWire(ReadOnlySpan<byte> wire) => new(wire, true);

    /// <summary>Writes the entries; false when one of them is out of range.</summary>
    internal bool TryWriteTo(Span<byte> destination)
    {
        if (!_wire.IsEmpty)
        {
            _wire.CopyTo(destination);
            return true;
        }

        int size = T.EncodedLength;
        for (int i = 0; i < _items.Length; i++)
        {
            if (!_items[i].TryWrite(destination.Slice(i * size, size), out _))
            {
                return false;
            }
        }

        return true;
    }

    public ref struct Enumerator
    {
        private readonly RtcpItemList<T> _list;
        private int _index;

        internal Enumerator(RtcpItemList<T> list)
        {
            _list = list;
            _index = -1;
        }

        public readonly T Current => _list[_index];

        public bool MoveNext() => ++_index < _list.Count;
    }
}
