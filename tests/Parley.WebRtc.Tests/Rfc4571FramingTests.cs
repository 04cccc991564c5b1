using Parley.WebRtc.IceTcp;

namespace Parley.WebRtc.Tests;

/// <summary>RFC 4571 frames: a 16-bit big-endian length, then the packet.</summary>
public sealed class Rfc4571FramingTests
{
    [Fact]
    public void A_frame_is_the_big_endian_length_then_the_packet_and_reads_back()
    {
        byte[] packet = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        byte[] frame = new byte[302];
        Assert.Equal(302, Rfc4571Framing.Write(packet, frame));
        Assert.Equal([0x01, 0x2C], frame[..2]);
        Assert.Equal(FrameStatus.Complete, Rfc4571Framing.TryRead(frame, 1500, out int length));
        Assert.Equal(300, length);
        Assert.Equal(packet, frame[2..]);
    }

    [Fact]
    public void A_frame_cut_anywhere_is_incomplete_until_its_last_byte()
    {
        byte[] frame = new byte[2 + 40];
        Rfc4571Framing.Write(new byte[40], frame);
        for (int cut = 0; cut < frame.Length; cut++)
        {
            Assert.Equal(FrameStatus.Incomplete, Rfc4571Framing.TryRead(frame.AsSpan(0, cut), 1500, out _));
        }

        Assert.Equal(FrameStatus.Complete, Rfc4571Framing.TryRead(frame, 1500, out int length));
        Assert.Equal(40, length);
    }

    [Fact]
    public void Frames_that_follow_each_other_are_read_one_at_a_time()
    {
        byte[] stream = new byte[(2 + 3) + (2 + 5)];
        int first = Rfc4571Framing.Write([1, 2, 3], stream);
        Rfc4571Framing.Write([9, 9, 9, 9, 9], stream.AsSpan(first));
        Assert.Equal(FrameStatus.Complete, Rfc4571Framing.TryRead(stream, 1500, out int length));
        Assert.Equal(3, length);
        Assert.Equal(FrameStatus.Complete, Rfc4571Framing.TryRead(stream.AsSpan(2 + length), 1500, out length));
        Assert.Equal(5, length);
    }

    [Theory]
    [InlineData(0x00, 0x00)] // empty
    [InlineData(0x05, 0xDD)] // 1501, one past the limit
    [InlineData(0xFF, 0xFF)]
    public void Empty_and_oversized_frames_are_invalid_as_soon_as_their_length_is_read(byte high, byte low) =>
        Assert.Equal(FrameStatus.Invalid, Rfc4571Framing.TryRead([high, low], 1500, out _));
}
