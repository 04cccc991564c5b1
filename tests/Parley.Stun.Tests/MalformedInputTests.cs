using System.Buffers.Binary;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

public sealed class MalformedInputTests
{
    public static TheoryData<int> VectorIndexes => [0, 1, 2, 3, 4];

    private static byte[] Vector(int index) => Rfc5769Vectors.All.ElementAt(index);

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Every_truncated_prefix_of_a_vector_is_refused(int index)
    {
        byte[] vector = Vector(index);
        for (int length = 0; length < vector.Length; length++)
        {
            Assert.False(StunMessage.TryParse(vector.AsMemory(0, length), out _), $"prefix of {length} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(VectorIndexes))]
    public void Trailing_bytes_beyond_the_length_field_are_refused(int index)
    {
        byte[] longer = [.. Vector(index), 0, 0, 0, 0];
        Assert.False(StunMessage.TryParse(longer, out _));
    }

    [Fact]
    public void A_header_with_the_top_bits_set_or_a_bad_cookie_is_not_stun()
    {
        byte[] message = [.. Rfc5769Vectors.Request];
        message[0] |= 0x40;
        Assert.False(StunMessage.TryParse(message, out _));

        message = [.. Rfc5769Vectors.Request];
        message[5] ^= 0x01;
        Assert.False(StunMessage.LooksLikeStun(message));
        Assert.False(StunMessage.TryParse(message, out _));
    }

    [Fact]
    public void A_length_that_is_not_a_multiple_of_four_is_refused()
    {
        byte[] message = [.. Rfc5769Vectors.Request, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(message.Length - 20));
        Assert.False(StunMessage.TryParse(message, out _));
    }

    [Fact]
    public void An_attribute_whose_length_runs_past_the_message_is_refused()
    {
        byte[] message = [.. Rfc5769Vectors.IPv4Response];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(22), 0x0100); // SOFTWARE claims 256 bytes
        Assert.False(StunMessage.TryParse(message, out _));
    }

    [Fact]
    public void An_attribute_whose_padding_is_missing_is_refused()
    {
        // A USERNAME of 5 bytes with its 3 padding bytes cut off: the message ends inside the padding.
        byte[] message = Hex.Parse("00 01 00 0c 21 12 a4 42 000102030405060708090a0b 00 06 00 05 61 6c 69 63 65 00 00 00");
        Assert.True(StunMessage.TryParse(message, out _));
        byte[] cut = message[..^3];
        BinaryPrimitives.WriteUInt16BigEndian(cut.AsSpan(2), 9);
        Assert.False(StunMessage.TryParse(cut, out _));
    }

    [Fact]
    public void A_wrong_fingerprint_parses_but_does_not_check()
    {
        byte[] message = [.. Rfc5769Vectors.Request];
        message[^1] ^= 0xFF;
        Assert.True(StunMessage.TryParse(message, out StunMessage parsed));
        Assert.True(parsed.HasFingerprint);
        Assert.False(parsed.CheckFingerprint());
    }

    [Fact]
    public void A_flipped_bit_anywhere_before_the_integrity_attribute_breaks_it()
    {
        byte[] key = StunCredentials.ShortTermKey(Rfc5769Vectors.ShortTermPassword);
        int integrityOffset = Rfc5769Vectors.Request.Length - 8 - 24;
        for (int i = 20; i < integrityOffset; i++)
        {
            byte[] message = [.. Rfc5769Vectors.Request];
            message[i] ^= 0x01;
            if (StunMessage.TryParse(message, out StunMessage parsed))
            {
                Assert.False(parsed.CheckMessageIntegrity(key), $"bit flipped at {i}");
            }
        }
    }

    [Fact]
    public void Attributes_after_fingerprint_make_the_message_invalid()
    {
        byte[] message = [.. Rfc5769Vectors.Request, 0x80, 0x22, 0x00, 0x00];
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(message.Length - 20));
        Assert.False(StunMessage.TryParse(message, out _));
    }

    [Fact]
    public void Integrity_and_fingerprint_attributes_of_the_wrong_size_are_refused()
    {
        byte[] shortIntegrity = Hex.Parse("00 01 00 08 21 12 a4 42 000102030405060708090a0b 00 08 00 04 01 02 03 04");
        byte[] longFingerprint = Hex.Parse("00 01 00 0c 21 12 a4 42 000102030405060708090a0b 80 28 00 08 01 02 03 04 05 06 07 08");
        byte[] oddSha256 = Hex.Parse("00 01 00 10 21 12 a4 42 000102030405060708090a0b 00 1c 00 0c 01 02 03 04 05 06 07 08 09 0a 0b 0c");
        Assert.False(StunMessage.TryParse(shortIntegrity, out _));
        Assert.False(StunMessage.TryParse(longFingerprint, out _));
        Assert.False(StunMessage.TryParse(oddSha256, out _));
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored_but_fingerprint_is_read()
    {
        byte[] key = "k"u8.ToArray();
        Span<byte> buffer = stackalloc byte[128];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username("alice"));
        builder.AddMessageIntegrity(key);
        builder.Add(new Realm("smuggled"));
        builder.AddFingerprint();

        Assert.True(StunMessage.TryParse(builder.Message.ToArray(), out StunMessage message));
        Assert.False(message.Contains(StunAttributeType.Realm));
        Assert.True(message.Contains(StunAttributeType.Username));
        Assert.True(message.CheckFingerprint());
        // The integrity covers only what precedes it, so it still verifies.
        Assert.True(message.CheckMessageIntegrity(key));
        var types = new List<StunAttributeType>();
        foreach (StunAttribute attribute in message.GetAttributes())
        {
            types.Add(attribute.Type);
        }

        Assert.Equal([StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.Fingerprint], types);
    }

    [Fact]
    public void Of_duplicate_attributes_the_first_counts()
    {
        Span<byte> buffer = stackalloc byte[128];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username("first"));
        builder.Add(new Username("second"));
        Assert.True(StunMessage.TryParse(builder.Message.ToArray(), out StunMessage message));
        Assert.True(message.TryGet(out Username username));
        Assert.Equal("first", username.ToString());
    }

    [Fact]
    public void Malformed_attribute_values_are_refused_by_their_readers()
    {
        TransactionId id = TransactionId.NewRandom();
        Assert.False(XorMappedAddress.TryRead(Hex.Parse("00 01 00 01 01 02 03"), id, out _));          // IPv4, 3 bytes
        Assert.False(XorMappedAddress.TryRead(Hex.Parse("00 02 00 01 01 02 03 04"), id, out _));       // IPv6, 4 bytes
        Assert.False(MappedAddress.TryRead(Hex.Parse("00 03 00 01 01 02 03 04"), id, out _));          // family 3
        Assert.False(ErrorCode.TryRead(Hex.Parse("00 00 02 00"), id, out _));                          // class 2
        Assert.False(ErrorCode.TryRead(Hex.Parse("00 00 04 64"), id, out _));                          // number 100
        Assert.False(ErrorCode.TryRead(Hex.Parse("00 00 04"), id, out _));
        Assert.False(Priority.TryRead(Hex.Parse("00 00 00"), id, out _));
        Assert.False(UseCandidate.TryRead(Hex.Parse("00"), id, out _));
        Assert.False(IceControlling.TryRead(Hex.Parse("00 00 00 00"), id, out _));
        Assert.False(ChangeRequest.TryRead(Hex.Parse("00 00 00 04 00"), id, out _));
        Assert.False(UnknownAttributes.TryRead(Hex.Parse("00 01 00"), id, out _));
        Assert.False(UserHash.TryRead(new byte[31], id, out _));
        Assert.False(PasswordAlgorithm.TryRead(Hex.Parse("00 01 00 04"), id, out _));
        Assert.False(PasswordAlgorithms.TryRead(Hex.Parse("00 01 00 08 00 00 00 00"), id, out _));
        Assert.False(Username.TryRead(new byte[513], id, out _));
        Assert.False(Software.TryRead(new byte[764], id, out _));
    }
}
