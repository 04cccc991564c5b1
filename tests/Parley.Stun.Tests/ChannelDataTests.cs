using System.Buffers.Binary;

namespace Parley.Stun.Tests;

public sealed class ChannelDataTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_udp_and_tcp_vectors_read_as_channel_0x4001_with_eleven_bytes(bool tcp)
    {
        byte[] vector = tcp ? TurnVectors.ChannelDataTcp : TurnVectors.ChannelDataUdp;
        Assert.True(ChannelData.LooksLikeChannelData(vector));
        Assert.True(ChannelData.TryRead(vector, out ChannelData message));
        Assert.Equal(0x4001, message.ChannelNumber);
        Assert.True(message.Data.SequenceEqual("hello, peer"u8));
        Assert.Equal(15, message.Length);
        Assert.Equal(vector.Length, ChannelData.GetFramedLength(message.Data.Length, padded: tcp));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writing_gives_the_vectors_byte_for_byte(bool pad)
    {
        byte[] expected = pad ? TurnVectors.ChannelDataTcp : TurnVectors.ChannelDataUdp;
        byte[] buffer = new byte[32];
        buffer.AsSpan().Fill(0xEE); // padding must come out zero whatever the buffer held
        Assert.True(ChannelData.TryWrite(buffer, 0x4001, "hello, peer"u8, pad, out int written));
        Assert.Equal(expected, buffer[..written]);
    }

    [Fact]
    public void Every_truncation_of_either_vector_is_refused()
    {
        foreach (byte[] vector in new[] { TurnVectors.ChannelDataUdp, TurnVectors.ChannelDataTcp })
        {
            for (int length = 0; length < ChannelData.HeaderLength + 11; length++)
            {
                Assert.False(ChannelData.TryRead(vector.AsSpan(0, length), out _), $"prefix of {length} bytes");
            }
        }
    }

    [Fact]
    public void Bytes_after_the_data_are_padding_and_ignored()
    {
        byte[] longer = [.. TurnVectors.ChannelDataTcp, 1, 2, 3, 4, 5];
        Assert.True(ChannelData.TryRead(longer, out ChannelData message));
        Assert.True(message.Data.SequenceEqual("hello, peer"u8));
    }

    [Fact]
    public void Empty_data_is_a_bare_header()
    {
        byte[] buffer = new byte[8];
        Assert.True(ChannelData.TryWrite(buffer, 0x4FFF, [], pad: true, out int written));
        Assert.Equal(4, written);
        Assert.Equal(Hex.Parse("4f ff 00 00"), buffer[..4]);
        Assert.True(ChannelData.TryRead(buffer.AsSpan(0, 4), out ChannelData message));
        Assert.Equal(0x4FFF, message.ChannelNumber);
        Assert.True(message.Data.IsEmpty);
    }

    [Theory]
    [InlineData(0x0000)]
    [InlineData(0x3FFF)]
    [InlineData(0x8000)]
    [InlineData(0xFFFF)]
    public void Channel_numbers_outside_0x4000_to_0x7FFF_are_refused(int channel)
    {
        byte[] message = [.. TurnVectors.ChannelDataTcp];
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)channel);
        Assert.False(ChannelData.TryRead(message, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelData.TryWrite(new byte[32], (ushort)channel, [1], false, out _));
    }

    [Theory]
    [InlineData(0, 4, 4)]
    [InlineData(1, 5, 8)]
    [InlineData(3, 7, 8)]
    [InlineData(4, 8, 8)]
    [InlineData(65535, 65539, 65540)]
    public void Framed_lengths_are_padded_to_four_only_when_asked(int dataLength, int unpadded, int padded)
    {
        Assert.Equal(unpadded, ChannelData.GetFramedLength(dataLength, padded: false));
        Assert.Equal(padded, ChannelData.GetFramedLength(dataLength, padded: true));
    }

    [Fact]
    public void A_destination_too_small_gives_false_and_is_left_alone()
    {
        byte[] buffer = new byte[15];
        Assert.False(ChannelData.TryWrite(buffer, 0x4001, "hello, peer"u8, pad: true, out int written));
        Assert.Equal(0, written);
        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.True(ChannelData.TryWrite(buffer, 0x4001, "hello, peer"u8, pad: false, out written));
        Assert.Equal(15, written);
        Assert.False(ChannelData.TryWriteHeader(new byte[3], 0x4001, 0));
    }

    [Fact]
    public void Data_longer_than_the_length_field_cannot_be_written()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelData.TryWrite(new byte[70_000], 0x4001, new byte[65536], false, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelData.TryWriteHeader(new byte[4], 0x4001, 65536));
        Assert.True(ChannelData.TryWrite(new byte[65540], 0x4001, new byte[65535], true, out int written));
        Assert.Equal(65540, written);
    }

    [Fact]
    public void Data_already_in_place_after_the_header_is_framed_without_a_copy()
    {
        // A relay receives the peer's datagram at offset 4 and writes the header in front of it.
        byte[] buffer = new byte[16];
        "hello, peer"u8.CopyTo(buffer.AsSpan(4));
        Assert.True(ChannelData.TryWriteHeader(buffer, 0x4001, 11));
        Assert.Equal(TurnVectors.ChannelDataTcp, buffer);

        // TryWrite copes with data that overlaps the header too.
        byte[] shifted = new byte[16];
        "hello, peer"u8.CopyTo(shifted);
        Assert.True(ChannelData.TryWrite(shifted, 0x4001, shifted.AsSpan(0, 11), pad: true, out int written));
        Assert.Equal(TurnVectors.ChannelDataTcp, shifted[..written]);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(3, false)]
    [InlineData(63, false)]
    [InlineData(64, true)]
    [InlineData(79, true)]
    [InlineData(80, true)] // RFC 5766's channels 0x5000-0x7FFF, which coturn's clients use
    [InlineData(127, true)]
    [InlineData(128, false)]
    [InlineData(255, false)]
    public void The_first_byte_test_takes_64_to_127(int firstByte, bool channelData)
    {
        Assert.Equal(channelData, ChannelData.IsChannelDataFirstByte((byte)firstByte));
        Assert.Equal(channelData, ChannelData.LooksLikeChannelData([(byte)firstByte, 0, 0, 0]));
        Assert.False(ChannelData.LooksLikeChannelData([(byte)firstByte, 0, 0]));
    }

    [Fact]
    public void Every_channel_number_reads_back_only_in_range()
    {
        byte[] buffer = [0, 0, 0, 0];
        for (int channel = 0; channel <= ushort.MaxValue; channel++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)channel);
            Assert.Equal(channel is >= 0x4000 and <= 0x7FFF, ChannelData.TryRead(buffer, out _));
        }
    }
}
