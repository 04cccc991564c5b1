using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// Walks the packet statuses of a <see cref="TransportWideFeedback"/> in sequence order, decoding chunks and
/// receive deltas side by side and summing the deltas into arrival times. Allocates nothing.
/// </summary>
public ref struct TwccStatusEnumerator
{
    private readonly ReadOnlySpan<byte> _chunks;
    private readonly ReadOnlySpan<byte> _deltas;
    private readonly TwccEncoder _encoder;
    private readonly bool _fromArrivals;
    private readonly int _count;
    private readonly ushort _baseSequenceNumber;
    private int _index;
    private int _chunkOffset;
    private TwccPacketChunk _chunk;
    private int _chunkRemaining;
    private int _symbolIndex;
    private int _deltaOffset;
    private int _arrival;
    private long _units;

    /// <summary>Over the validated chunks and deltas of a parsed packet.</summary>
    internal TwccStatusEnumerator(ushort baseSequenceNumber, int count, long referenceUnits, ReadOnlySpan<byte> chunks,
        ReadOnlySpan<byte> deltas)
    {
        this = default;
        _baseSequenceNumber = baseSequenceNumber;
        _count = count;
        _units = referenceUnits * TwccEncoder.DeltasPerReference;
        _chunks = chunks;
        _deltas = deltas;
    }

    /// <summary>Over arrivals given for writing, as the packet built from them will read.</summary>
    internal TwccStatusEnumerator(TwccEncoder encoder, long wireReferenceUnits)
    {
        this = default;
        _encoder = encoder;
        _fromArrivals = true;
        _baseSequenceNumber = encoder.BaseSequenceNumber;
        _count = encoder.StatusCount;
        _units = wireReferenceUnits * TwccEncoder.DeltasPerReference;
    }

    public TwccPacketStatus Current { get; private set; }

    public readonly TwccStatusEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_index >= _count)
        {
            return false;
        }

        TwccStatusSymbol symbol;
        long delta = 0;
        if (_fromArrivals)
        {
            if (_arrival < _encoder.ArrivalCount && _encoder.Offset(_arrival) == _index)
            {
                delta = _encoder.Delta(_arrival);
                symbol = _encoder.SymbolOfArrival(_arrival++);
            }
            else
            {
                symbol = TwccStatusSymbol.NotReceived;
            }
        }
        else
        {
            while (_chunkRemaining == 0)
            {
                _chunk = new TwccPacketChunk(BinaryPrimitives.ReadUInt16BigEndian(_chunks[_chunkOffset..]));
                _chunkOffset += TwccPacketChunk.EncodedLength;
                _chunkRemaining = _chunk.SymbolCount;
                _symbolIndex = 0;
            }

            symbol = _chunk.GetSymbol(_symbolIndex++);
            _chunkRemaining--;
            if (symbol == TwccStatusSymbol.ReceivedSmallDelta)
            {
                delta = _deltas[_deltaOffset++];
            }
            else if (symbol == TwccStatusSymbol.ReceivedLargeDelta)
            {
                delta = BinaryPrimitives.ReadInt16BigEndian(_deltas[_deltaOffset..]);
                _deltaOffset += 2;
            }
        }

        _units += delta;
        bool received = symbol != TwccStatusSymbol.NotReceived;
        Current = new TwccPacketStatus(
            (ushort)(_baseSequenceNumber + _index),
            symbol,
            received ? TimeSpan.FromTicks(delta * TwccEncoder.TicksPerDelta) : TimeSpan.Zero,
            received ? TimeSpan.FromTicks(_units * TwccEncoder.TicksPerDelta) : TimeSpan.Zero);
        _index++;
        return true;
    }
}
