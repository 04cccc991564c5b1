using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

public sealed class NackTests
{
    private static List<ushort> Lost(GenericNack nack)
    {
        var lost = new List<ushort>();
        foreach (ushort sequenceNumber in nack.GetLostSequenceNumbers())
        {
            lost.Add(sequenceNumber);
        }

        return lost;
    }

    [Fact]
    public void Pid_and_blp_expand_into_the_lost_sequence_numbers()
    {
        Assert.True(GenericNack.TryRead(RtcpVectors.GenericNack, out GenericNack nack));
        Assert.Equal(1u, nack.SenderSsrc);
        Assert.Equal(0x11223344u, nack.MediaSsrc);
        Assert.Equal(2, nack.Pairs.Count);
        Assert.Equal(new NackPair(65530, 0x0025), nack.Pairs[0]);
        Assert.Equal(new NackPair(100, 0x8001), nack.Pairs[1]);
        Assert.Equal([65530, 65531, 65533, 0, 100, 101, 116], Lost(nack));
        Assert.Equal(7, nack.LostCount);
        Assert.Equal(RtcpVectors.GenericNack, Wire.Encode(nack));
    }

    [Fact]
    public void The_losses_of_the_vector_re_encode_into_the_same_pairs_and_bytes()
    {
        ushort[] lost = [65530, 65531, 65533, 0, 100, 101, 116];
        Assert.Equal(2, GenericNack.CountPairs(lost));
        var pairs = new NackPair[2];
        Assert.True(GenericNack.TryCreatePairs(lost, pairs, out int count));
        Assert.Equal(2, count);
        var nack = new GenericNack(1, 0x11223344, new RtcpItemList<NackPair>(pairs));
        Assert.Equal(RtcpVectors.GenericNack, Wire.Encode(nack));
    }

    [Theory]
    [InlineData(new ushort[] { 5 }, new ushort[] { 5, 0x0000 })]
    [InlineData(new ushort[] { 1, 17 }, new ushort[] { 1, 0x8000 })] // 16 ahead: the last BLP bit
    [InlineData(new ushort[] { 1, 18 }, new ushort[] { 1, 0x0000, 18, 0x0000 })] // 17 ahead: a new pair
    [InlineData(new ushort[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 }, new ushort[] { 1, 0xFFFF })]
    [InlineData(new ushort[] { 65530, 65535, 0, 9, 10 }, new ushort[] { 65530, 0xC030 })] // 5, 6, 15, 16 ahead
    [InlineData(new ushort[] { 7, 7, 8, 8 }, new ushort[] { 7, 0x0001 })] // repeats count once
    [InlineData(new ushort[] { 0, 20000, 40000, 60000 }, new ushort[] { 0, 0, 20000, 0, 40000, 0, 60000, 0 })]
    public void Sorted_losses_are_covered_with_the_fewest_pairs(ushort[] lost, ushort[] expected)
    {
        var pairs = new NackPair[lost.Length];
        Assert.True(GenericNack.TryCreatePairs(lost, pairs, out int count));
        Assert.Equal(expected.Length / 2, count);
        Assert.Equal(count, GenericNack.CountPairs(lost));
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(new NackPair(expected[2 * i], expected[(2 * i) + 1]), pairs[i]);
        }
    }

    [Fact]
    public void Unsorted_losses_or_a_short_destination_are_refused()
    {
        ushort[] unsorted = [10, 5];
        Assert.Equal(-1, GenericNack.CountPairs(unsorted));
        Assert.False(GenericNack.TryCreatePairs(unsorted, new NackPair[4], out _));
        ushort[] three = [1, 100, 200];
        Assert.False(GenericNack.TryCreatePairs(three, new NackPair[2], out _));
        Assert.True(GenericNack.TryCreatePairs([], new NackPair[0], out int count));
        Assert.Equal(0, count);
        Assert.False(new GenericNack(1, 2, default).TryWrite(new byte[64], out _));
    }

    [Fact]
    public void Random_loss_lists_round_trip_through_minimal_pairs()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 2_000; trial++)
        {
            var lost = new List<ushort>();
            ushort sequence = (ushort)random.Next(65536);
            int losses = random.Next(1, 200);
            for (int i = 0; i < losses; i++)
            {
                lost.Add(sequence);
                sequence += (ushort)(random.Next(4) == 0 ? random.Next(1, 60) : random.Next(1, 4));
            }

            int count = GenericNack.CountPairs([.. lost]);
            var pairs = new NackPair[count];
            Assert.True(GenericNack.TryCreatePairs([.. lost], pairs, out int written));
            Assert.Equal(count, written);

            // Minimal: a pair must start at a loss, so each pair starts at the first loss the previous ones miss.
            int expected = 0;
            int? start = null;
            long extended = 0;
            foreach (ushort s in lost)
            {
                extended = start is null ? s : extended + SequenceNumbers.Difference(s, (ushort)extended);
                if (start is null || extended - start > 16)
                {
                    start = (int)extended;
                    expected++;
                }
            }

            Assert.Equal(expected, count);
            var nack = new GenericNack(1, 2, new RtcpItemList<NackPair>(pairs));
            Assert.True(GenericNack.TryRead(Wire.Encode(nack), out GenericNack parsed));
            Assert.Equal(lost, Lost(parsed));
        }
    }

    [Fact]
    public void Random_pairs_expand_to_their_lost_count()
    {
        var random = new Random(4);
        Span<ushort> scratch = stackalloc ushort[17];
        for (int i = 0; i < 1_000; i++)
        {
            var pair = new NackPair((ushort)random.Next(65536), (ushort)random.Next(65536));
            int count = pair.CopyLostTo(scratch);
            Assert.Equal(pair.LostCount, count);
            Assert.Equal(pair.PacketId, scratch[0]);
            for (int k = 1; k < count; k++)
            {
                Assert.True(SequenceNumbers.IsNewer(scratch[k], scratch[k - 1]));
            }
        }
    }

    [Theory]
    [InlineData("81 cd 00 02 00 00 00 01 11 22 33 44")] // no FCI
    [InlineData("81 cd 00 03 00 00 00 01 11 22 33 44 00 64 80")] // a cut pair: the length says 16 bytes, 15 are there
    [InlineData("a1 cd 00 03 00 00 00 01 11 22 33 44 00 64 80 02")] // padding leaves half a pair
    [InlineData("82 cd 00 03 00 00 00 01 11 22 33 44 00 64 80 05")] // FMT 2
    [InlineData("81 ce 00 03 00 00 00 01 11 22 33 44 00 64 80 05")] // PSFB
    public void Malformed_nacks_are_refused(string hex) => Assert.False(GenericNack.TryRead(Hex.Parse(hex), out _));

    [Fact]
    public void Every_truncated_prefix_is_refused()
    {
        byte[] vector = RtcpVectors.GenericNack;
        for (int length = 0; length < vector.Length; length++)
        {
            Assert.False(GenericNack.TryRead(vector.AsSpan(0, length), out _), $"prefix of {length} bytes");
        }
    }
}
