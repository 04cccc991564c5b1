using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

public sealed class TransportWideFeedbackTests
{
    private static readonly TimeSpan Unit = TimeSpan.FromTicks(2_500); // 250 us

    /// <summary>The arrivals <see cref="RtcpVectors.TransportWideFeedback"/> reports: (status index, delta in 250 us).</summary>
    private static TwccArrival[] VectorArrivals()
    {
        (int Index, int Delta)[] received =
        [
            (0, 10), (1, 4), (2, 4), (3, 4), (4, 4), (8, 12), (9, 4), (10, 4), (13, 8),
            (14, -4), (15, 8), (17, 4), (18, 4), (19, 400), (20, 4),
            .. Enumerable.Range(321, 20).Select(i => (i, 4)),
        ];
        long units = 1000 * 256;
        return
        [
            .. received.Select(r =>
            {
                units += r.Delta;
                return new TwccArrival((ushort)(65530 + r.Index), units * Unit);
            }),
        ];
    }

    private static List<TwccPacketStatus> Statuses(TransportWideFeedback feedback)
    {
        var statuses = new List<TwccPacketStatus>();
        foreach (TwccPacketStatus status in feedback.GetPacketStatuses())
        {
            statuses.Add(status);
        }

        return statuses;
    }

    [Fact]
    public void The_vector_reads_its_header_fields()
    {
        Assert.True(TransportWideFeedback.TryRead(RtcpVectors.TransportWideFeedback, out TransportWideFeedback feedback));
        Assert.Equal(1u, feedback.SenderSsrc);
        Assert.Equal(2u, feedback.MediaSsrc);
        Assert.Equal(65530, feedback.BaseSequenceNumber);
        Assert.Equal(341, feedback.PacketStatusCount);
        Assert.Equal(1000, feedback.ReferenceTime);
        Assert.Equal(TimeSpan.FromSeconds(64), feedback.ReferenceTimeSpan);
        Assert.Equal(7, feedback.FeedbackPacketCount);
    }

    [Fact]
    public void The_vector_reads_as_received_and_lost_packets_with_arrival_times()
    {
        Assert.True(TransportWideFeedback.TryRead(RtcpVectors.TransportWideFeedback, out TransportWideFeedback feedback));
        List<TwccPacketStatus> statuses = Statuses(feedback);
        Assert.Equal(341, statuses.Count);
        Assert.Equal(65530, statuses[0].SequenceNumber);
        Assert.Equal(0, statuses[6].SequenceNumber); // wrapped
        Assert.Equal(334, statuses[^1].SequenceNumber);

        Assert.Equal(new TwccPacketStatus(65530, TwccStatusSymbol.ReceivedSmallDelta, 10 * Unit,
            TimeSpan.FromSeconds(64) + (10 * Unit)), statuses[0]);
        Assert.Equal(new TwccPacketStatus(65535, TwccStatusSymbol.NotReceived, TimeSpan.Zero, TimeSpan.Zero), statuses[5]);
        Assert.Equal(TwccStatusSymbol.ReceivedLargeDelta, statuses[14].Symbol);
        Assert.Equal(TimeSpan.FromMilliseconds(-1), statuses[14].ReceiveDelta);
        Assert.Equal(TimeSpan.FromMilliseconds(100), statuses[19].ReceiveDelta);
        Assert.All(statuses.Skip(21).Take(300), s => Assert.False(s.IsReceived));
        Assert.Equal(35, statuses.Count(s => s.IsReceived));

        TwccArrival[] expected = VectorArrivals();
        Assert.Equal(expected, statuses.Where(s => s.IsReceived).Select(s => new TwccArrival(s.SequenceNumber, s.ArrivalTime)));
    }

    [Fact]
    public void The_vector_is_written_back_byte_for_byte()
    {
        Assert.True(TransportWideFeedback.TryRead(RtcpVectors.TransportWideFeedback, out TransportWideFeedback feedback));
        Assert.Equal(RtcpVectors.TransportWideFeedback, Wire.Encode(feedback));
    }

    [Fact]
    public void The_vector_is_built_byte_for_byte_from_its_arrivals()
    {
        TwccArrival[] arrivals = VectorArrivals();
        Assert.Equal(arrivals.Length, TransportWideFeedback.GetFittingCount(arrivals));
        Assert.True(TransportWideFeedback.TryCreate(1, 2, 7, arrivals, out TransportWideFeedback feedback));
        Assert.Equal(RtcpVectors.TransportWideFeedback, Wire.Encode(feedback));

        // Before it is written, the built feedback lists the same statuses as the parsed vector.
        Assert.True(TransportWideFeedback.TryRead(RtcpVectors.TransportWideFeedback, out TransportWideFeedback parsed));
        Assert.Equal(Statuses(parsed), Statuses(feedback));
    }

    [Theory]
    [InlineData(0x00DD, "run of 221 x 0")] // §3.1.3 example 1: 221 "packet not received"
    [InlineData(0x6018, "run of 24 x 3")] // §3.1.3 example 2: 24 of symbol 11
    [InlineData(0x9F1C, "0 1 1 1 1 1 0 0 0 1 1 1 0 0")] // §3.1.4 example 1: 1-bit vector
    [InlineData(0xCD50, "0 3 1 1 1 0 0")] // §3.1.4 example 2: 2-bit vector
    public void The_drafts_chunk_examples_decode_and_encode(int value, string expected)
    {
        var chunk = new TwccPacketChunk((ushort)value);
        string decoded = chunk.IsRunLength
            ? $"run of {chunk.RunLength} x {(int)chunk.RunSymbol}"
            : string.Join(' ', Enumerable.Range(0, chunk.SymbolCount).Select(i => (int)chunk.GetSymbol(i)));
        Assert.Equal(expected, decoded);

        TwccPacketChunk rebuilt = chunk.IsRunLength
            ? TwccPacketChunk.CreateRunLength(chunk.RunSymbol, chunk.RunLength)
            : chunk.IsTwoBitVector
                ? TwccPacketChunk.CreateTwoBitVector([.. Enumerable.Range(0, 7).Select(chunk.GetSymbol)])
                : TwccPacketChunk.CreateOneBitVector([.. Enumerable.Range(0, 14).Select(chunk.GetSymbol)]);
        Assert.Equal(chunk, rebuilt);
        byte[] bytes = Wire.Encode(chunk);
        Assert.True(TwccPacketChunk.TryRead(bytes, out TwccPacketChunk read));
        Assert.Equal(chunk, read);
    }

    [Fact]
    public void A_packet_using_the_reserved_symbol_is_refused()
    {
        // One status, in a run-length chunk of symbol 11 (the draft's "received without delta").
        byte[] reservedRun = Hex.Parse("8f cd 00 05 00 00 00 01 00 00 00 02 00 0a 00 01 00 00 01 00 60 01 00 00");
        Assert.False(TransportWideFeedback.TryRead(reservedRun, out _));
        // The same in a 2-bit vector.
        byte[] reservedVector = Hex.Parse("8f cd 00 05 00 00 00 01 00 00 00 02 00 0a 00 01 00 00 01 00 f0 00 00 00");
        Assert.False(TransportWideFeedback.TryRead(reservedVector, out _));
        // A small delta instead reads.
        byte[] fine = Hex.Parse("8f cd 00 05 00 00 00 01 00 00 00 02 00 0a 00 01 00 00 01 00 20 01 05 00");
        Assert.True(TransportWideFeedback.TryRead(fine, out TransportWideFeedback feedback));
        TwccPacketStatus status = Assert.Single(Statuses(feedback));
        Assert.Equal(new TwccPacketStatus(10, TwccStatusSymbol.ReceivedSmallDelta, 5 * Unit,
            TimeSpan.FromMilliseconds(64) + (5 * Unit)), status);
    }

    [Theory]
    [InlineData("8f cd 00 04 00 00 00 01 00 00 00 02 00 0a 00 00 00 00 01 00")] // status count 0
    [InlineData("8f cd 00 04 00 00 00 01 00 00 00 02 00 0a 00 01 00 00 01 00")] // no chunk
    [InlineData("8f cd 00 05 00 00 00 01 00 00 00 02 00 0a 00 03 00 00 01 00 20 03 05 00")] // deltas missing
    [InlineData("8f cd 00 06 00 00 00 01 00 00 00 02 00 0a 00 01 00 00 01 00 20 01 05 00 00 00 00 00")] // a word too many
    [InlineData("8e cd 00 05 00 00 00 01 00 00 00 02 00 0a 00 01 00 00 01 00 20 01 05 00")] // FMT 14
    public void Malformed_feedback_is_refused(string hex) =>
        Assert.False(TransportWideFeedback.TryRead(Hex.Parse(hex), out _));

    [Fact]
    public void A_negative_reference_time_is_sign_extended()
    {
        byte[] data = Hex.Parse("8f cd 00 05 00 00 00 01 00 00 00 02 00 0a 00 01 ff ff ff 00 20 01 05 00");
        Assert.True(TransportWideFeedback.TryRead(data, out TransportWideFeedback feedback));
        Assert.Equal(-1, feedback.ReferenceTime);
        Assert.Equal(TimeSpan.FromMilliseconds(-64) + (5 * Unit), Assert.Single(Statuses(feedback)).ArrivalTime);
    }

    [Fact]
    public void Every_truncated_prefix_is_refused()
    {
        byte[] vector = RtcpVectors.TransportWideFeedback;
        for (int length = 0; length < vector.Length; length++)
        {
            Assert.False(TransportWideFeedback.TryRead(vector.AsSpan(0, length), out _), $"prefix of {length} bytes");
        }
    }

    [Fact]
    public void Long_runs_take_one_chunk_each()
    {
        var arrivals = new List<TwccArrival>();
        for (int i = 0; i < 1000; i++)
        {
            arrivals.Add(new TwccArrival((ushort)i, TimeSpan.FromMilliseconds(i)));
        }

        arrivals.Add(new TwccArrival(5000, TimeSpan.FromMilliseconds(1000))); // after a run of 3999 losses
        Assert.True(TransportWideFeedback.TryCreate(1, 2, 0, [.. arrivals], out TransportWideFeedback feedback));
        // 20 fixed bytes, 3 chunks (1000 small, 3999 lost, 1 small), 1001 one-byte deltas, padded to 1028.
        Assert.Equal(1028, feedback.GetEncodedLength());
    }

    [Fact]
    public void Arrivals_out_of_order_or_with_too_large_a_gap_start_a_new_feedback()
    {
        TwccArrival[] arrivals =
        [
            new(10, TimeSpan.FromMilliseconds(100)),
            new(11, TimeSpan.FromMilliseconds(110)),
            new(12, TimeSpan.FromMilliseconds(8400)), // 8290 ms later: more than a 16-bit delta holds
            new(13, TimeSpan.FromMilliseconds(8410)),
        ];
        Assert.Equal(2, TransportWideFeedback.GetFittingCount(arrivals));
        Assert.False(TransportWideFeedback.TryCreate(1, 2, 0, arrivals, out _));
        Assert.True(TransportWideFeedback.TryCreate(1, 2, 0, arrivals.AsSpan(0, 2), out _));
        Assert.Equal(2, TransportWideFeedback.GetFittingCount(arrivals.AsSpan(2)));

        TwccArrival[] reordered = [new(10, TimeSpan.Zero), new(9, TimeSpan.Zero)];
        Assert.Equal(1, TransportWideFeedback.GetFittingCount(reordered));
        TwccArrival[] repeated = [new(10, TimeSpan.Zero), new(10, TimeSpan.Zero)];
        Assert.Equal(1, TransportWideFeedback.GetFittingCount(repeated));
        TwccArrival[] tooWide = [new(0, TimeSpan.Zero), new(30000, TimeSpan.Zero), new(60000, TimeSpan.Zero), new(65535, TimeSpan.Zero)];
        Assert.Equal(3, TransportWideFeedback.GetFittingCount(tooWide));
        Assert.False(TransportWideFeedback.TryCreate(1, 2, 0, [], out _));
    }

    [Fact]
    public void A_reference_time_beyond_24_bits_wraps_and_arrival_times_keep_their_offsets()
    {
        TimeSpan start = TimeSpan.FromTicks(((1L << 24) + 5) * 640_000); // 2^24 + 5 reference units
        TwccArrival[] arrivals = [new(1, start), new(2, start + TimeSpan.FromMilliseconds(3))];
        Assert.True(TransportWideFeedback.TryCreate(1, 2, 0, arrivals, out TransportWideFeedback feedback));
        Assert.Equal(5, feedback.ReferenceTime);
        Assert.True(TransportWideFeedback.TryRead(Wire.Encode(feedback), out TransportWideFeedback parsed));
        List<TwccPacketStatus> statuses = Statuses(parsed);
        Assert.Equal(TimeSpan.FromMilliseconds(5 * 64), statuses[0].ArrivalTime);
        Assert.Equal(TimeSpan.FromMilliseconds((5 * 64) + 3), statuses[1].ArrivalTime);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_arrivals_round_trip_through_build_write_and_parse(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 400; trial++)
        {
            TwccArrival[] arrivals = RandomArrivals(random);
            int fitting = TransportWideFeedback.GetFittingCount(arrivals);
            Assert.Equal(arrivals.Length, fitting);
            Assert.True(TransportWideFeedback.TryCreate(0xAABBCCDD, 0x11223344, (byte)trial, arrivals, out TransportWideFeedback built));
            byte[] bytes = Wire.Encode(built);
            Assert.True(TransportWideFeedback.TryRead(bytes, out TransportWideFeedback parsed), $"trial {trial}");

            Assert.Equal(arrivals[0].SequenceNumber, parsed.BaseSequenceNumber);
            Assert.Equal((byte)trial, parsed.FeedbackPacketCount);
            List<TwccPacketStatus> statuses = Statuses(parsed);
            Assert.Equal(Statuses(built), statuses);
            Assert.Equal((ushort)(arrivals[^1].SequenceNumber - arrivals[0].SequenceNumber + 1), statuses.Count);

            TwccPacketStatus[] received = [.. statuses.Where(s => s.IsReceived)];
            Assert.Equal(arrivals.Length, received.Length);
            for (int j = 0; j < arrivals.Length; j++)
            {
                Assert.Equal(arrivals[j].SequenceNumber, received[j].SequenceNumber);
                Assert.Equal(Floor(arrivals[j].ArrivalTime), received[j].ArrivalTime);
            }
        }
    }

    /// <summary>Sequence numbers anywhere (so often wrapping), losses in bursts, deltas small, large and negative.</summary>
    private static TwccArrival[] RandomArrivals(Random random)
    {
        int count = random.Next(1, 300); // with gaps under 200, under 60,000 statuses
        double lossRate = random.NextDouble() * 0.5;
        ushort sequence = (ushort)random.Next(65536);
        TimeSpan time = TimeSpan.FromTicks(random.NextInt64(-100_000, 100_000) * TimeSpan.TicksPerSecond / 10)
            + TimeSpan.FromTicks(random.Next(2_500));
        var arrivals = new TwccArrival[count];
        for (int j = 0; j < count; j++)
        {
            arrivals[j] = new TwccArrival(sequence, time);
            sequence += (ushort)(random.NextDouble() < lossRate ? random.Next(2, random.Next(2) == 0 ? 10 : 200) : 1);
            time += random.Next(10) switch
            {
                < 6 => TimeSpan.FromTicks(random.Next(0, 64 * 10_000)), // small: under 64 ms
                < 8 => TimeSpan.FromTicks(random.Next(64 * 10_000, 8_000 * 10_000)), // large
                _ => -TimeSpan.FromTicks(random.Next(0, 8_000 * 10_000)), // negative: reordered
            };
        }

        return arrivals;
    }

    private static TimeSpan Floor(TimeSpan time) => TimeSpan.FromTicks((long)Math.Floor(time.Ticks / 2_500.0) * 2_500);
}
