using System.Buffers.Binary;

namespace Parley.Rtp;

/// <summary>
/// A list of 32-bit synchronization source identifiers: the CSRC list of an RTP header (RFC 3550 §5.1), the
/// sources of an RTCP BYE (§6.6) or of a REMB (draft-alvestrand-rmcat-remb-03 §2.2). Either a view over the
/// big-endian bytes of a parsed packet or a span of values given for writing; it copies neither.
/// </summary>
public readonly ref struct SsrcList
{
    private readonly ReadOnlySpan<byte> _wire;
    private readonly ReadOnlySpan<uint> _values;

    /// <summary>Wraps values to write.</summary>
    public SsrcList(ReadOnlySpan<uint> values) => _values = values;

    private SsrcList(ReadOnlySpan<byte> wire) => _wire = wire;

    public int Count => _wire.IsEmpty ? _values.Length : _wire.Length / 4;

    public bool IsEmpty => Count == 0;

    public uint this[int index] => _wire.IsEmpty
        ? _values[index]
        : BinaryPrimitives.ReadUInt32BigEndian(_wire.Slice(index * 4, 4));

    /// <summary>The bytes these identifiers take on the wire.</summary>
    public int EncodedLength => Count * 4;

    public bool Contains(uint ssrc)
    {
        foreach (uint value in this)
        {
            if (value == ssrc)
            {
                return true;
            }
        }

        return false;
    }

    public Enumerator GetEnumerator() => new(this);

    /// <summary>A view over <paramref name="wire"/>, whose length must be a multiple of four.</summary>
    internal static SsrcList FromWire(ReadOnlySpan<byte> wire) => new(wire);

    /// <summary>Writes the identifiers big-endian; the destination must hold <see cref="EncodedLength"/> bytes.</summary>
    internal void WriteTo(Span<byte> destination)
    {
        if (!_wire.IsEmpty)
        {
            _wire.CopyTo(destination);
            return;
        }

        for (int i = 0; i < _values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], _values[i]);
        }
    }

    public ref struct Enumerator
    {
        private readonly SsrcList _list;
        private int _index;

        internal Enumerator(SsrcList list)
        {
            _list = list;
            _index = -1;
        }

        public readonly uint Current => _list[_index];

        public bool MoveNext() => ++_index < _list.Count;
    }
}
