namespace Parley.Stun.Tests;

/// <summary>Cutting a TURN TCP/TLS stream, where STUN and padded ChannelData messages follow each other.</summary>
public sealed class TurnFramingTests
{
    [Fact]
    public void A_stream_of_stun_and_channel_data_is_cut_into_its_messages()
    {
        byte[][] frames = [TurnVectors.AllocateRequest, TurnVectors.ChannelDataTcp, TurnVectors.SendIndication,
            Hex.Parse("40 02 00 00"), TurnVectors.ChannelBindRequest, Hex.Parse("4f ff 00 01 2a 00 00 00")];
        byte[] stream = [.. frames.SelectMany(f => f)];

        var cut = new List<byte[]>();
        int offset = 0;
        while (offset < stream.Length)
        {
            Assert.True(StunFraming.TryGetTurnFrameLength(stream.AsSpan(offset, StunFraming.TurnFramePrefixLength), out int length));
            byte[] frame = stream.AsSpan(offset, length).ToArray();
            bool isStun = StunMessage.TryParse(frame, out _);
            Assert.NotEqual(isStun, ChannelData.TryRead(frame, out _));
            cut.Add(frame);
            offset += length;
        }

        Assert.Equal(frames, cut);
    }

    [Fact]
    public void The_stun_length_matches_the_existing_framing()
    {
        foreach (byte[] message in TurnVectors.Messages.Concat(Rfc5769Vectors.All))
        {
            Assert.True(StunFraming.TryGetMessageLength(message, out int expected));
            Assert.True(StunFraming.TryGetTurnFrameLength(message, out int length));
            Assert.Equal(expected, length);
            Assert.Equal(message.Length, length);
        }
    }

    [Theory]
    [InlineData("40 01 00 0b", 16)]
    [InlineData("40 01 00 0c", 16)]
    [InlineData("4f ff ff ff", 65540)]
    [InlineData("00 01 00 00", 20)]
    [InlineData("03 ff ff fc", 65552)]
    public void Frame_lengths_come_from_the_first_four_bytes(string prefix, int expected)
    {
        Assert.True(StunFraming.TryGetTurnFrameLength(Hex.Parse(prefix), out int length));
        Assert.Equal(expected, length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("40 01 00")]
    [InlineData("00 01 00 02")] // STUN length not a multiple of 4
    [InlineData("04 01 00 00")] // first byte 4-63: not STUN by RFC 7983, nor ChannelData
    [InlineData("16 fe fd 00")] // DTLS
    [InlineData("80 00 00 00")] // 128: past the channel range (RTP)
    [InlineData("80 60 00 01")] // RTP
    [InlineData("ff ff ff ff")]
    public void Bytes_that_start_neither_or_too_few_are_refused(string prefix)
    {
        Assert.False(StunFraming.TryGetTurnFrameLength(Hex.Parse(prefix), out int length));
        Assert.Equal(0, length);
    }
}
