namespace Parley.Rtp.Tests;

public sealed class SequenceNumberTests
{
    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(0, 1, false)]
    [InlineData(0, 65535, true)] // wraparound
    [InlineData(65535, 0, false)]
    [InlineData(100, 65000, true)]
    [InlineData(32767, 0, true)]
    [InlineData(32768, 0, true)] // exactly half way: the larger value is newer
    [InlineData(0, 32768, false)]
    [InlineData(32769, 0, false)]
    [InlineData(5, 5, false)]
    public void Newer_than_wraps_around(int value, int previous, bool newer)
    {
        Assert.Equal(newer, SequenceNumbers.IsNewer((ushort)value, (ushort)previous));
        Assert.Equal(newer || value == previous, SequenceNumbers.IsNewerOrEqual((ushort)value, (ushort)previous));
    }

    [Fact]
    public void Of_two_distinct_values_exactly_one_is_newer()
    {
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            ushort a = (ushort)random.Next(65536), b = (ushort)random.Next(65536);
            if (a != b)
            {
                Assert.NotEqual(SequenceNumbers.IsNewer(a, b), SequenceNumbers.IsNewer(b, a));
                Assert.Equal(-SequenceNumbers.Difference(a, b), SequenceNumbers.Difference(b, a));
            }
        }

        Assert.Equal(2, SequenceNumbers.Difference(1, 65535));
        Assert.Equal(-2, SequenceNumbers.Difference(65535, 1));
        Assert.Equal((ushort)1, SequenceNumbers.Latest(65535, 1));
    }

    [Fact]
    public void The_unwrapper_counts_cycles_forwards_and_backwards()
    {
        var unwrapper = new SequenceNumberUnwrapper();
        Assert.Null(unwrapper.Last);
        Assert.Equal(65534, unwrapper.Unwrap(65534));
        Assert.Equal(65535, unwrapper.Unwrap(65535));
        Assert.Equal(65536, unwrapper.Unwrap(0));
        Assert.Equal(65537, unwrapper.Unwrap(1));
        Assert.Equal(65535, unwrapper.Unwrap(65535)); // a late packet from before the wrap
        Assert.Equal(65538, unwrapper.Unwrap(2));
        Assert.Equal(65538 + 30000, unwrapper.Unwrap(30002));
        Assert.Equal(65538 + 60000, unwrapper.Unwrap(60002));
        Assert.Equal(131072 + 100, unwrapper.Peek(100));
        Assert.Equal(65538 + 60000, unwrapper.Last);
        unwrapper.Reset();
        Assert.Equal(3, unwrapper.Unwrap(3));
        Assert.Equal(-2, unwrapper.Unwrap(65534)); // before the first value
    }

    [Fact]
    public void Unwrapping_a_long_random_walk_recovers_the_extended_numbers()
    {
        var random = new Random(11);
        var unwrapper = new SequenceNumberUnwrapper();
        long extended = 40_000;
        unwrapper.Unwrap((ushort)extended);
        for (int i = 0; i < 100_000; i++)
        {
            extended += random.Next(-200, 1000); // mostly forward, some reordering
            Assert.Equal(extended, unwrapper.Unwrap((ushort)extended));
        }
    }

    [Fact]
    public void Timestamps_wrap_and_unwrap_the_same_way()
    {
        Assert.True(RtpTimestamps.IsNewer(0, uint.MaxValue));
        Assert.False(RtpTimestamps.IsNewer(uint.MaxValue, 0));
        Assert.True(RtpTimestamps.IsNewer(0x8000_0000, 0));
        Assert.False(RtpTimestamps.IsNewer(0, 0x8000_0000));
        Assert.Equal(2, RtpTimestamps.Difference(1, uint.MaxValue));
        Assert.True(RtpTimestamps.IsNewerOrEqual(5, 5));

        var unwrapper = new TimestampUnwrapper();
        Assert.Equal(uint.MaxValue - 1000L, unwrapper.Unwrap(uint.MaxValue - 1000));
        Assert.Equal(uint.MaxValue + 2001L, unwrapper.Unwrap(2000)); // 3001 ticks later, past the wrap
        Assert.Equal(uint.MaxValue - 999L, unwrapper.Unwrap(uint.MaxValue - 999)); // reordered
        var random = new Random(5);
        long extended = 123_456;
        unwrapper.Reset();
        unwrapper.Unwrap((uint)extended);
        for (int i = 0; i < 10_000; i++)
        {
            extended += random.Next(-90_000, 3_000_000);
            Assert.Equal(extended, unwrapper.Unwrap((uint)extended));
        }
    }
}
