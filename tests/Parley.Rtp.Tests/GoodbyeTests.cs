using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

public sealed class GoodbyeTests
{
    [Fact]
    public void Sources_and_reason_are_read()
    {
        Assert.True(Goodbye.TryRead(RtcpVectors.Goodbye, out Goodbye bye));
        Assert.Equal(2, bye.Sources.Count);
        Assert.Equal(0x11223344u, bye.Sources[0]);
        Assert.Equal(0x55667788u, bye.Sources[1]);
        Assert.True(bye.Sources.Contains(0x55667788));
        Assert.Equal("camera", bye.ReasonText);
    }

    [Fact]
    public void Goodbyes_are_written_byte_for_byte()
    {
        uint[] sources = [0x11223344, 0x55667788];
        Assert.Equal(RtcpVectors.Goodbye, Wire.Encode(new Goodbye(new SsrcList(sources), "camera"u8)));
        Assert.Equal(Hex.Parse("81 cb 00 01 00 00 00 05"), Wire.Encode(new Goodbye(new SsrcList([5]))));
        Assert.Equal(Hex.Parse("81 cb 00 02 00 00 00 05 03 61 62 63"), Wire.Encode(new Goodbye(new SsrcList([5]), "abc"u8)));

        Assert.True(Goodbye.TryRead(RtcpVectors.Goodbye, out Goodbye parsed));
        Assert.Equal(RtcpVectors.Goodbye, Wire.Encode(parsed));
    }

    [Theory]
    [InlineData("82 cb 00 01 00 00 00 05")] // SC=2, one source
    [InlineData("81 cb 00 02 00 00 00 05 07 61 62 63")] // a reason past the end
    [InlineData("81 cb 00 03 00 00 00 05 01 61 00 00 00 00 00 00")] // a word after the reason's padding
    public void Malformed_goodbyes_are_refused(string hex) => Assert.False(Goodbye.TryRead(Hex.Parse(hex), out _));

    [Fact]
    public void Every_truncated_prefix_is_refused_and_too_much_is_not_written()
    {
        byte[] vector = RtcpVectors.Goodbye;
        for (int length = 0; length < vector.Length; length++)
        {
            Assert.False(Goodbye.TryRead(vector.AsSpan(0, length), out _), $"prefix of {length} bytes");
        }

        Assert.False(new Goodbye(new SsrcList(new uint[32])).TryWrite(new byte[256], out _));
        Assert.False(new Goodbye(new SsrcList([1]), new byte[256]).TryWrite(new byte[512], out _));
    }
}
