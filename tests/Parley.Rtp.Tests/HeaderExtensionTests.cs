namespace Parley.Rtp.Tests;

public sealed class HeaderExtensionTests
{
    private static List<(byte Id, byte[] Value)> Elements(RtpHeaderExtension extension)
    {
        var list = new List<(byte, byte[])>();
        foreach (RtpExtensionElement element in extension.GetElements())
        {
            list.Add((element.Id, element.Value.ToArray()));
        }

        return list;
    }

    private static void AssertElement((byte Id, byte[] Value) element, byte id, byte[] value)
    {
        Assert.Equal(id, element.Id);
        Assert.Equal(value, element.Value);
    }

    [Fact]
    public void The_rfc8285_one_byte_example_has_three_elements_around_padding()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.Rfc8285OneByteExample, out RtpPacket packet));
        List<(byte Id, byte[] Value)> elements = Elements(packet.Extension);
        Assert.Equal(3, elements.Count);
        AssertElement(elements[0], 1, [0xaa]);
        AssertElement(elements[1], 2, [0xbb, 0xbb]);
        AssertElement(elements[2], 3, [0xcc, 0xcc, 0xcc, 0xcc]);
    }

    [Fact]
    public void The_rfc8285_two_byte_example_has_an_empty_element_and_a_padding_byte()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.Rfc8285TwoByteExample, out RtpPacket packet));
        Assert.Equal(RtpExtensionForm.TwoByte, packet.Extension.Form);
        Assert.Equal(0, packet.Extension.AppBits);
        List<(byte Id, byte[] Value)> elements = Elements(packet.Extension);
        Assert.Equal(3, elements.Count);
        Assert.Equal(1, elements[0].Id);
        Assert.Empty(elements[0].Value);
        AssertElement(elements[1], 2, [0xbb]);
        AssertElement(elements[2], 3, [0xcc, 0xcc, 0xcc, 0xcc]);
        Assert.True(packet.Extension.TryGetElement(1, out ReadOnlySpan<byte> empty));
        Assert.True(empty.IsEmpty);
    }

    [Fact]
    public void Elements_are_looked_up_by_id_and_read_typed()
    {
        Assert.True(RtpPacket.TryRead(RtpVectors.WebRtcVideo, out RtpPacket packet));
        RtpHeaderExtension extension = packet.Extension;
        Assert.True(extension.TryGet(2, out AbsoluteSendTime sendTime));
        Assert.Equal(0x123456u, sendTime.Value);
        Assert.True(extension.TryGet(3, out TransportSequenceNumber twcc));
        Assert.Equal(42, twcc.Value);
        Assert.True(extension.TryGet(4, out SdesMid mid));
        Assert.Equal("0", mid.Value);
        Assert.True(extension.TryGet(10, out RtpStreamId rid));
        Assert.Equal("h", rid.Value);
        Assert.False(extension.TryGet(5, out TransportSequenceNumber _));
        Assert.False(extension.TryGet(2, out TransportSequenceNumber _)); // three bytes are not a sequence number

        Assert.True(RtpPacket.TryRead(RtpVectors.WebRtcAudio, out packet));
        Assert.True(packet.Extension.TryGet(1, out AudioLevel level));
        Assert.Equal(new AudioLevel(true, 42), level);
        Assert.True(packet.Extension.TryGet(5, out twcc));
        Assert.Equal(513, twcc.Value);
    }

    [Fact]
    public void Id_15_ends_a_one_byte_block_and_its_length_is_ignored()
    {
        byte[] data = Hex.Parse("10 aa f3 21 bb bb 00 00"); // ID=1, then ID=15 (L=3 ignored), then ID=2
        var extension = new RtpHeaderExtension(RtpHeaderExtension.OneByteProfile, data);
        List<(byte Id, byte[] Value)> elements = Elements(extension);
        Assert.Single(elements);
        Assert.False(extension.TryGetElement(2, out _));
    }

    [Theory]
    [InlineData("be de", "10 aa 2f bb 00 00 00 00", 1)] // ID=2 claims 16 bytes: stop after ID=1
    [InlineData("be de", "05 aa 00 00", 0)] // ID=0 with a length is not padding: stop
    [InlineData("10 00", "01 05 aa aa aa aa", 0)] // two-byte: a 5-byte element in 4 bytes
    [InlineData("10 00", "00 00 00 01", 0)] // two-byte: a length byte past the end
    [InlineData("12 34", "10 aa 00 00", 0)] // another profile: opaque
    public void Malformed_or_foreign_blocks_give_the_elements_before_the_fault(string profile, string data, int count)
    {
        byte[] header = Hex.Parse(profile);
        var extension = new RtpHeaderExtension((ushort)((header[0] << 8) | header[1]), Hex.Parse(data));
        Assert.Equal(count, Elements(extension).Count);
    }

    [Fact]
    public void The_two_byte_form_keeps_its_application_bits()
    {
        Span<byte> buffer = stackalloc byte[16];
        var builder = new RtpHeaderExtensionBuilder(buffer, RtpExtensionForm.TwoByte, appBits: 0x0A);
        Assert.True(builder.TryAdd(200, [1, 2]));
        RtpHeaderExtension extension = builder.Build();
        Assert.Equal(0x100A, extension.Profile);
        Assert.Equal(0x0A, extension.AppBits);
        Assert.True(extension.TryGetElement(200, out ReadOnlySpan<byte> value));
        Assert.Equal([1, 2], value.ToArray());
    }

    [Fact]
    public void The_builder_writes_the_rfc8285_examples_byte_for_byte()
    {
        Span<byte> buffer = stackalloc byte[32];
        var oneByte = new RtpHeaderExtensionBuilder(buffer, RtpExtensionForm.OneByte);
        Assert.True(oneByte.TryAdd(1, [0xaa]));
        Assert.True(oneByte.TryAdd(2, [0xbb, 0xbb]));
        Assert.True(oneByte.TryAdd(3, [0xcc, 0xcc, 0xcc, 0xcc]));
        RtpHeaderExtension built = oneByte.Build();
        byte[] written = new byte[built.GetEncodedLength()];
        Assert.True(built.TryWrite(written, out _));
        // Without the example's padding between elements, the elements pack into 10 bytes, padded to 12.
        Assert.Equal(Hex.Parse("be de 00 03 10 aa 21 bb bb 33 cc cc cc cc 00 00"), written);

        Span<byte> buffer2 = stackalloc byte[32];
        var twoByte = new RtpHeaderExtensionBuilder(buffer2, RtpExtensionForm.TwoByte);
        Assert.True(twoByte.TryAdd(1, []));
        Assert.True(twoByte.TryAdd(2, [0xbb]));
        Assert.True(twoByte.TryAdd(3, [0xcc, 0xcc, 0xcc, 0xcc]));
        built = twoByte.Build();
        written = new byte[built.GetEncodedLength()];
        Assert.True(built.TryWrite(written, out _));
        Assert.Equal(Hex.Parse("10 00 00 03 01 00 02 01 bb 03 04 cc cc cc cc 00"), written);
    }

    [Theory]
    [InlineData(RtpExtensionForm.OneByte, 0, 1)] // id 0 is padding
    [InlineData(RtpExtensionForm.OneByte, 15, 1)] // id 15 is reserved
    [InlineData(RtpExtensionForm.OneByte, 1, 0)] // the one-byte form cannot say "no data"
    [InlineData(RtpExtensionForm.OneByte, 1, 17)]
    [InlineData(RtpExtensionForm.TwoByte, 0, 1)]
    [InlineData(RtpExtensionForm.TwoByte, 1, 256)]
    public void The_builder_refuses_ids_and_lengths_the_form_cannot_carry(RtpExtensionForm form, byte id, int length)
    {
        Span<byte> buffer = stackalloc byte[300];
        var builder = new RtpHeaderExtensionBuilder(buffer, form);
        Assert.False(builder.TryAdd(id, new byte[length]));
        Assert.Equal(0, builder.PaddedLength);
    }

    [Fact]
    public void The_builder_refuses_what_does_not_fit_its_buffer_padding_included()
    {
        Span<byte> buffer = stackalloc byte[4];
        var builder = new RtpHeaderExtensionBuilder(buffer, RtpExtensionForm.OneByte);
        Assert.True(builder.TryAdd(1, [1]));
        Assert.False(builder.TryAdd(2, [1, 2])); // 5 bytes, 8 once padded
        Assert.True(builder.TryAdd(2, [1]));
        Assert.Equal(4, builder.Build().Data.Length);
    }

    [Fact]
    public void A_typed_value_out_of_range_adds_nothing()
    {
        Span<byte> buffer = stackalloc byte[16];
        var builder = new RtpHeaderExtensionBuilder(buffer, RtpExtensionForm.OneByte);
        Assert.False(builder.TryAdd(1, new AudioLevel(false, 200)));
        Assert.False(builder.TryAdd(2, new RtpStreamId("no spaces")));
        Assert.False(builder.TryAdd(3, new SdesMid("")));
        Assert.Equal(0, builder.PaddedLength);
    }

    [Fact]
    public void Every_truncated_prefix_of_a_block_is_refused()
    {
        byte[] block = Hex.Parse("be de 00 03 10 aa 21 bb bb 00 00 33 cc cc cc cc");
        Assert.True(RtpHeaderExtension.TryRead(block, out RtpHeaderExtension extension));
        Assert.Equal(3, Elements(extension).Count);
        for (int length = 0; length < block.Length; length++)
        {
            Assert.False(RtpHeaderExtension.TryRead(block.AsSpan(0, length), out _), $"prefix of {length} bytes");
        }

        Assert.False(RtpHeaderExtension.TryRead([.. block, 0, 0, 0, 0], out _));
    }
}
