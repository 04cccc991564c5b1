using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

public sealed class SourceDescriptionTests
{
    [Fact]
    public void Chunks_and_their_items_are_read_in_order()
    {
        Assert.True(SourceDescription.TryRead(RtcpVectors.SourceDescription, out SourceDescription sdes));
        Assert.Equal(2, sdes.ChunkCount);
        var seen = new List<string>();
        foreach (SdesChunk chunk in sdes.GetChunks())
        {
            foreach (SdesItem item in chunk.GetItems())
            {
                seen.Add($"{chunk.Ssrc:x8} {item.Type} {item.ToString()}");
            }
        }

        Assert.Equal(["11223344 Cname abc", "55667788 Cname x", "55667788 Tool tool"], seen);
    }

    [Fact]
    public void The_cname_of_each_chunk_is_found_by_type()
    {
        Assert.True(SourceDescription.TryRead(RtcpVectors.SourceDescription, out SourceDescription sdes));
        var cnames = new List<string?>();
        foreach (SdesChunk chunk in sdes.GetChunks())
        {
            cnames.Add(chunk.Cname);
            Assert.False(chunk.TryGetItem(SdesItemType.Email, out _));
        }

        Assert.Equal(["abc", "x"], cnames);
    }

    [Fact]
    public void Cname_chunks_are_written_byte_for_byte_and_a_parsed_packet_is_written_back()
    {
        CnameChunk[] chunks = [new(0x11223344, "abc")];
        byte[] written = Wire.Encode(new SourceDescription(chunks));
        Assert.Equal(Hex.Parse("81 ca 00 03 11 22 33 44 01 03 61 62 63 00 00 00"), written);

        Assert.True(SourceDescription.TryRead(RtcpVectors.SourceDescription, out SourceDescription sdes));
        Assert.Equal(RtcpVectors.SourceDescription, Wire.Encode(sdes));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(255)]
    public void Cnames_of_every_length_modulo_four_are_padded_with_at_least_one_null(int length)
    {
        CnameChunk[] chunks = [new(7, new string('c', length)), new(8, "second")];
        var sdes = new SourceDescription(chunks);
        byte[] written = Wire.Encode(sdes);
        Assert.Equal(0, written.Length % 4);
        Assert.True(SourceDescription.TryRead(written, out SourceDescription parsed));
        var cnames = new List<string?>();
        foreach (SdesChunk chunk in parsed.GetChunks())
        {
            cnames.Add(chunk.Cname);
        }

        Assert.Equal([new string('c', length), "second"], cnames);

        // A chunk built for writing enumerates its single CNAME item too.
        foreach (SdesChunk chunk in sdes.GetChunks())
        {
            Assert.NotNull(chunk.Cname);
        }
    }

    [Fact]
    public void Cnames_that_are_empty_or_too_long_are_not_written()
    {
        CnameChunk[] empty = [new(1, "")];
        Assert.False(new SourceDescription(empty).TryWrite(new byte[64], out _));
        CnameChunk[] tooLong = [new(1, new string('c', 256))];
        Assert.False(new SourceDescription(tooLong).TryWrite(new byte[300], out _));
    }

    [Fact]
    public void A_chunk_without_items_is_its_ssrc_and_a_word_of_nulls()
    {
        byte[] data = Hex.Parse("81 ca 00 02 00 00 00 09 00 00 00 00");
        Assert.True(SourceDescription.TryRead(data, out SourceDescription sdes));
        foreach (SdesChunk chunk in sdes.GetChunks())
        {
            Assert.Equal(9u, chunk.Ssrc);
            Assert.Null(chunk.Cname);
        }
    }

    [Theory]
    [InlineData("81 ca 00 01 00 00 00 09")] // no null item
    [InlineData("81 ca 00 02 00 00 00 09 01 05 61 00")] // an item past the end
    [InlineData("81 ca 00 02 00 00 00 09 00 00 01 00")] // a non-null byte in the padding
    [InlineData("82 ca 00 02 00 00 00 09 00 00 00 00")] // SC=2, one chunk
    [InlineData("81 ca 00 03 00 00 00 09 00 00 00 00 00 00 00 00")] // a word after the last chunk
    public void Malformed_chunks_are_refused(string hex) =>
        Assert.False(SourceDescription.TryRead(Hex.Parse(hex), out _));

    [Fact]
    public void Every_truncated_prefix_is_refused()
    {
        byte[] vector = RtcpVectors.SourceDescription;
        for (int length = 0; length < vector.Length; length++)
        {
            Assert.False(SourceDescription.TryRead(vector.AsSpan(0, length), out _), $"prefix of {length} bytes");
        }
    }
}
