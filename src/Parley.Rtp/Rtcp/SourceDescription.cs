using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// A source description packet, SDES (RFC 3550 §6.5): up to 31 chunks, each a source and its items ended by a
/// null octet and padded with nulls to a word boundary. Read, it is a view over the packet's chunks; for writing it
/// is built from <see cref="CnameChunk"/>s, which is what WebRTC endpoints send.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    SC   |  PT=SDES=202  |             length            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_1                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    CNAME=1    |     length    | user and domain name        ...
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC/CSRC_2                          |
/// </code>
/// </summary>
public readonly ref struct SourceDescription : IWireEncodable
{
    private readonly ReadOnlySpan<byte> _wire;
    private readonly ReadOnlySpan<CnameChunk> _cnames;
    private readonly int _wireCount;

    /// <summary>Chunks to write.</summary>
    public SourceDescription(ReadOnlySpan<CnameChunk> chunks) => _cnames = chunks;

    private SourceDescription(ReadOnlySpan<byte> wire, int count)
    {
        _wire = wire;
        _wireCount = count;
    }

    public int ChunkCount => _wireCount + _cnames.Length;

    public ChunkEnumerator GetChunks() => new(_wire, _cnames);

    public static bool TryRead(ReadOnlySpan<byte> data, out SourceDescription description)
    {
        description = default;
        if (!RtcpPacket.TryRead(data, RtcpPacketType.SourceDescription, out RtcpHeader header, out ReadOnlySpan<byte> payload))
        {
            return false;
        }

        int offset = 0;
        for (int i = 0; i < header.Count; i++)
        {
            int length = SdesChunk.TryReadPrefix(payload[offset..], out _);
            if (length == 0)
            {
                return false;
            }

            offset += length;
        }

        if (offset != payload.Length)
        {
            return false;
        }

        description = new SourceDescription(payload, header.Count);
        return true;
    }

    public int GetEncodedLength()
    {
        if (_cnames.IsEmpty)
        {
            return RtcpHeader.EncodedLength + _wire.Length;
        }

        int length = RtcpHeader.EncodedLength;
        foreach (CnameChunk chunk in _cnames)
        {
            length += GetCnameChunkLength(chunk);
        }

        return length;
    }

    /// <summary>False when there are more than 31 chunks, a CNAME is empty or longer than 255 bytes, or the
    /// destination is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        int length = GetEncodedLength();
        if (ChunkCount > RtcpHeader.MaxCount || !RtcpWriter.CanWrite(length, destination))
        {
            return false;
        }

        if (_cnames.IsEmpty)
        {
            _wire.CopyTo(destination[RtcpHeader.EncodedLength..]);
        }
        else
        {
            int offset = RtcpHeader.EncodedLength;
            foreach (CnameChunk chunk in _cnames)
            {
                ReadOnlySpan<byte> cname = chunk.Cname.Span;
                if (cname.IsEmpty || cname.Length > SdesItem.MaxLength)
                {
                    return false;
                }

                int chunkLength = GetCnameChunkLength(chunk);
                Span<byte> target = destination.Slice(offset, chunkLength);
                BinaryPrimitives.WriteUInt32BigEndian(target, chunk.Ssrc);
                target[4] = (byte)SdesItemType.Cname;
                target[5] = (byte)cname.Length;
                cname.CopyTo(target[6..]);
                target[(6 + cname.Length)..].Clear(); // the null item and the padding
                offset += chunkLength;
            }
        }

        RtcpWriter.WriteHeader(destination, RtcpPacketType.SourceDescription, ChunkCount, length);
        written = length;
        return true;
    }

    /// <summary>SSRC, type, length, text, then at least one null octet, to a word boundary.</summary>
    private static int GetCnameChunkLength(CnameChunk chunk) => (4 + 2 + chunk.Cname.Length + 1 + 3) & ~3;

    /// <summary>The chunks in order.</summary>
    public ref struct ChunkEnumerator
    {
        private readonly ReadOnlySpan<byte> _wire;
        private readonly ReadOnlySpan<CnameChunk> _cnames;
        private int _offset;
        private int _index;

        internal ChunkEnumerator(ReadOnlySpan<byte> wire, ReadOnlySpan<CnameChunk> cnames)
        {
            _wire = wire;
            _cnames = cnames;
            _offset = 0;
            _index = 0;
            Current = default;
        }

        public SdesChunk Current { get; private set; }

        public readonly ChunkEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (!_cnames.IsEmpty)
            {
                if (_index >= _cnames.Length)
                {
                    return false;
                }

                Current = SdesChunk.FromCname(_cnames[_index++]);
                return true;
            }

            if (_offset >= _wire.Length)
            {
                return false;
            }

            int length = SdesChunk.TryReadPrefix(_wire[_offset..], out SdesChunk chunk);
            if (length == 0)
            {
                _offset = _wire.Length;
                return false;
            }

            Current = chunk;
            _offset += length;
            return true;
        }
    }
}
