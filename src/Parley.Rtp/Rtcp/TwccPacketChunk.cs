using System.Buffers.Binary;

namespace Parley.Rtp.Rtcp;

/// <summary>
/// A 16-bit packet status chunk of transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1.2-3.1.4): a run of one symbol, or a vector of 14 one-bit or 7 two-bit symbols.
/// <code>
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |T| S |       Run Length        |   T=0: run length chunk
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |T|S|       symbol list         |   T=1: status vector chunk, S=0: 14 x 1 bit, S=1: 7 x 2 bits
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct TwccPacketChunk(ushort Value) : IWireEncodable
{
    public const int EncodedLength = 2;
    public const int MaxRunLength = 0x1FFF;
    public const int OneBitCapacity = 14;
    public const int TwoBitCapacity = 7;

    public bool IsRunLength => (Value & 0x8000) == 0;

    /// <summary>A status vector of 2-bit symbols.</summary>
    public bool IsTwoBitVector => (Value & 0xC000) == 0xC000;

    /// <summary>The repeated symbol of a run length chunk.</summary>
    public TwccStatusSymbol RunSymbol => (TwccStatusSymbol)((Value >> 13) & 0x03);

    /// <summary>The length of a run length chunk.</summary>
    public int RunLength => Value & MaxRunLength;

    /// <summary>How many statuses the chunk describes: the run length, 14 or 7.</summary>
    public int SymbolCount => IsRunLength ? RunLength : IsTwoBitVector ? TwoBitCapacity : OneBitCapacity;

    /// <summary>The symbol at <paramref name="index"/> (below <see cref="SymbolCount"/>).</summary>
    public TwccStatusSymbol GetSymbol(int index) =>
        IsRunLength ? RunSymbol
        : IsTwoBitVector ? (TwccStatusSymbol)((Value >> (12 - (2 * index))) & 0x03)
        : (TwccStatusSymbol)((Value >> (13 - index)) & 0x01);

    public static TwccPacketChunk CreateRunLength(TwccStatusSymbol symbol, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)symbol, 3, nameof(symbol));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxRunLength);
        return new TwccPacketChunk((ushort)(((int)symbol << 13) | length));
    }

    /// <summary>A vector of up to 14 symbols, each <see cref="TwccStatusSymbol.NotReceived"/> or
    /// <see cref="TwccStatusSymbol.ReceivedSmallDelta"/>; missing ones are zero.</summary>
    public static TwccPacketChunk CreateOneBitVector(ReadOnlySpan<TwccStatusSymbol> symbols)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(symbols.Length, OneBitCapacity, nameof(symbols));
        int value = 0x8000;
        for (int i = 0; i < symbols.Length; i++)
        {
            if (symbols[i] > TwccStatusSymbol.ReceivedSmallDelta)
            {
                throw new ArgumentException("A 1-bit vector holds only 'not received' and 'small delta'.", nameof(symbols));
            }

            value |= (int)symbols[i] << (13 - i);
        }

        return new TwccPacketChunk((ushort)value);
    }

    /// <summary>A vector of up to 7 symbols; missing ones are zero.</summary>
    public static TwccPacketChunk CreateTwoBitVector(ReadOnlySpan<TwccStatusSymbol> symbols)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(symbols.Length, TwoBitCapacity, nameof(symbols));
        int value = 0xC000;
        for (int i = 0; i < symbols.Length; i++)
        {
            value |= ((int)symbols[i] & 0x03) << (12 - (2 * i));
        }

        return new TwccPacketChunk((ushort)value);
    }

    public static bool TryRead(ReadOnlySpan<byte> data, out TwccPacketChunk chunk)
    {
        bool ok = data.Length == EncodedLength;
        chunk = ok ? new TwccPacketChunk(BinaryPrimitives.ReadUInt16BigEndian(data)) : default;
        return ok;
    }

    public int GetEncodedLength() => EncodedLength;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        bool ok = BinaryPrimitives.TryWriteUInt16BigEndian(destination, Value);
        written = ok ? EncodedLength : 0;
        return ok;
    }
}
