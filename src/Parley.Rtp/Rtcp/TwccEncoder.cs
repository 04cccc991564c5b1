namespace Parley.Rtp.Rtcp;

/// <summary>
/// Turns a receiver's arrivals (ascending transport-wide sequence numbers) into what transport-wide feedback
/// carries: the base sequence number, the reference time, a status per sequence number from the first to the last
/// arrival, the chunks that encode those statuses, and the receive deltas. Works from the arrivals alone, without
/// allocating.
/// </summary>
internal readonly ref struct TwccEncoder
{
    /// <summary>250 µs, the unit of receive deltas.</summary>
    public const long TicksPerDelta = 2_500;

    /// <summary>64 ms, the unit of the reference time, in delta units.</summary>
    public const long DeltasPerReference = 256;

    private readonly ReadOnlySpan<TwccArrival> _arrivals;

    /// <param name="arrivals">Non-empty, accepted in full by <see cref="GetFittingCount"/>.</param>
    public TwccEncoder(ReadOnlySpan<TwccArrival> arrivals)
    {
        _arrivals = arrivals;
        BaseSequenceNumber = arrivals[0].SequenceNumber;
        ReferenceUnits = Math.DivRem(DeltaUnits(arrivals[0].ArrivalTime), DeltasPerReference, out long remainder)
            - (remainder < 0 ? 1 : 0);
        StatusCount = Offset(arrivals.Length - 1) + 1;
    }

    public ushort BaseSequenceNumber { get; }

    /// <summary>The first arrival's time in 64 ms units, rounded down; the wire keeps its low 24 bits.</summary>
    public long ReferenceUnits { get; }

    public int StatusCount { get; }

    public int ArrivalCount => _arrivals.Length;

    /// <summary>A time in 250 µs units, rounded down.</summary>
    public static long DeltaUnits(TimeSpan time)
    {
        long units = Math.DivRem(time.Ticks, TicksPerDelta, out long remainder);
        return remainder < 0 ? units - 1 : units;
    }

    /// <summary>
    /// How many of the arrivals, from the first, one feedback packet can carry: sequence numbers must ascend within
    /// 65535 statuses and each receive delta must fit 16 signed bits (±8192 ms); a new feedback must start where
    /// they do not (§3.1.5).
    /// </summary>
    public static int GetFittingCount(ReadOnlySpan<TwccArrival> arrivals)
    {
        if (arrivals.IsEmpty)
        {
            return 0;
        }

        ushort baseSequence = arrivals[0].SequenceNumber;
        int previousOffset = 0;
        long previousUnits = DeltaUnits(arrivals[0].ArrivalTime);
        for (int j = 1; j < arrivals.Length; j++)
        {
            int offset = (ushort)(arrivals[j].SequenceNumber - baseSequence);
            long units = DeltaUnits(arrivals[j].ArrivalTime);
            if (offset <= previousOffset || offset >= ushort.MaxValue
                || !SequenceNumbers.IsNewer(arrivals[j].SequenceNumber, arrivals[j - 1].SequenceNumber)
                || units - previousUnits is < short.MinValue or > short.MaxValue)
            {
                return j;
            }

            previousOffset = offset;
            previousUnits = units;
        }

        return arrivals.Length;
    }

    /// <summary>The receive delta of arrival <paramref name="j"/> in 250 µs units.</summary>
    public long Delta(int j) =>
        DeltaUnits(_arrivals[j].ArrivalTime) - (j == 0 ? ReferenceUnits * DeltasPerReference : DeltaUnits(_arrivals[j - 1].ArrivalTime));

    public TwccStatusSymbol SymbolOfArrival(int j) =>
        Delta(j) is >= 0 and <= byte.MaxValue ? TwccStatusSymbol.ReceivedSmallDelta : TwccStatusSymbol.ReceivedLargeDelta;

    /// <summary>The status index of arrival <paramref name="j"/>.</summary>
    public int Offset(int j) => (ushort)(_arrivals[j].SequenceNumber - BaseSequenceNumber);

    /// <summary>The first arrival at or after status <paramref name="index"/>, by binary search.</summary>
    public int FirstArrivalFrom(int index)
    {
        int low = 0, high = _arrivals.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (Offset(middle) < index)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// The chunk that encodes the statuses from <paramref name="index"/> on, which it advances past them. Of a run
    /// length chunk, a 1-bit vector (14 statuses of "not received" or "small delta") and a 2-bit vector (7
    /// statuses), it takes the one that covers the most; the last chunk may cover fewer statuses than it holds.
    /// Costs a binary search plus the statuses it looks at; a run of losses is measured without walking it.
    /// </summary>
    public TwccPacketChunk NextChunk(ref int index)
    {
        int remaining = StatusCount - index;
        int next = FirstArrivalFrom(index);
        TwccStatusSymbol first = SymbolAt(index, next);
        int run;
        if (first == TwccStatusSymbol.NotReceived)
        {
            run = Offset(next) - index; // there is always a later arrival: the last status is one
        }
        else
        {
            run = 1;
            while (next + run < _arrivals.Length && Offset(next + run) == index + run && SymbolOfArrival(next + run) == first)
            {
                run++;
            }
        }

        run = Math.Min(run, TwccPacketChunk.MaxRunLength);
        int oneBit = Math.Min(TwccPacketChunk.OneBitCapacity, remaining);
        int twoBit = Math.Min(TwccPacketChunk.TwoBitCapacity, remaining);
        if (run >= oneBit)
        {
            index += run;
            return TwccPacketChunk.CreateRunLength(first, run);
        }

        Span<TwccStatusSymbol> symbols = stackalloc TwccStatusSymbol[TwccPacketChunk.OneBitCapacity];
        bool fitsOneBit = true;
        for (int k = 0, j = next; k < oneBit; k++)
        {
            bool received = j < _arrivals.Length && Offset(j) == index + k;
            symbols[k] = received ? SymbolOfArrival(j++) : TwccStatusSymbol.NotReceived;
            fitsOneBit &= symbols[k] <= TwccStatusSymbol.ReceivedSmallDelta;
        }

        if (fitsOneBit)
        {
            index += oneBit;
            return TwccPacketChunk.CreateOneBitVector(symbols[..oneBit]);
        }

        if (run >= twoBit)
        {
            index += run;
            return TwccPacketChunk.CreateRunLength(first, run);
        }

        index += twoBit;
        return TwccPacketChunk.CreateTwoBitVector(symbols[..twoBit]);
    }

    private TwccStatusSymbol SymbolAt(int index, int next) =>
        next < _arrivals.Length && Offset(next) == index ? SymbolOfArrival(next) : TwccStatusSymbol.NotReceived;

    public int CountChunks()
    {
        int chunks = 0;
        for (int index = 0; index < StatusCount; chunks++)
        {
            NextChunk(ref index);
        }

        return chunks;
    }

    public int CountDeltaBytes()
    {
        int bytes = 0;
        for (int j = 0; j < _arrivals.Length; j++)
        {
            bytes += SymbolOfArrival(j) == TwccStatusSymbol.ReceivedSmallDelta ? 1 : 2;
        }

        return bytes;
    }
}
