using System.Buffers.Binary;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>
/// Random and mutated input for the TURN codec from fixed seeds, so a failure names a reproducible case: ChannelData
/// and stream framing, every TURN attribute reader on its own, and whole TURN messages. Nothing throws, and what reads
/// survives a write and a second read unchanged.
/// </summary>
public sealed class TurnFuzzTests
{
    private const int Iterations = 25_000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Channel_data_reading_never_throws_and_what_reads_is_written_back_the_same(int seed)
    {
        var random = new Random(seed);
        byte[] written = new byte[ChannelData.GetFramedLength(ChannelData.MaxDataLength, padded: true)];
        int read = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = MutateChannelData(random, i);
            try
            {
                bool framed = StunFraming.TryGetTurnFrameLength(input, out int frameLength);
                if (framed)
                {
                    Assert.True(frameLength >= ChannelData.HeaderLength && frameLength % 4 == 0, $"frame length {frameLength}");
                }

                if (!ChannelData.TryRead(input, out ChannelData message))
                {
                    continue;
                }

                read++;
                Assert.InRange(message.ChannelNumber, ChannelNumber.Min, ChannelNumber.Max);
                Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(2)), message.Data.Length);
                Assert.True(ChannelData.LooksLikeChannelData(input));
                Assert.True(framed);
                Assert.Equal(ChannelData.GetFramedLength(message.Data.Length, padded: true), frameLength);

                Assert.True(ChannelData.TryWrite(written, message.ChannelNumber, message.Data, pad: false, out int length));
                Assert.True(written.AsSpan(0, length).SequenceEqual(input.AsSpan(0, message.Length)));

                Assert.True(ChannelData.TryWrite(written, message.ChannelNumber, message.Data, pad: true, out length));
                Assert.Equal(frameLength, length);
                Assert.True(ChannelData.TryRead(written.AsSpan(0, length), out ChannelData again));
                Assert.Equal(message.ChannelNumber, again.ChannelNumber);
                Assert.True(again.Data.SequenceEqual(message.Data));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed} iteration {i}: {Convert.ToHexString(input)} threw {e}");
            }
        }

        Assert.True(read > Iterations / 5, $"only {read} of {Iterations} inputs read");
    }

    private static byte[] MutateChannelData(Random random, int i)
    {
        byte[] vector = i % 2 == 0 ? TurnVectors.ChannelDataUdp : TurnVectors.ChannelDataTcp;
        switch (i % 6)
        {
            case 0:
                return RandomBytes(random, random.Next(0, 80));
            case 1:
                return vector[..random.Next(0, vector.Length + 1)];
            case 2:
            {
                byte[] copy = [.. vector];
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            }
            default:
            {
                // A plausible header (a channel near the range, a length near the bytes that follow) over random data.
                byte[] message = RandomBytes(random, ChannelData.HeaderLength + random.Next(0, 64));
                BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)random.Next(0x3F00, 0x5100));
                int length = Math.Max(0, message.Length - ChannelData.HeaderLength + random.Next(-4, 3));
                BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
                return message;
            }
        }
    }

    [Fact]
    public void Every_turn_attribute_reader_never_throws_and_what_reads_round_trips()
    {
        FuzzAttribute<XorPeerAddress>(11, exactBytes: false, lengths: [8, 20]);
        FuzzAttribute<XorRelayedAddress>(12, exactBytes: false, lengths: [8, 20]);
        FuzzAttribute<Lifetime>(13, exactBytes: true, lengths: [4]);
        FuzzAttribute<ChannelNumber>(14, exactBytes: false, lengths: [4]);
        FuzzAttribute<Data>(15, exactBytes: true, lengths: [0, 1, 11, 40], (a, b) => a.Bytes.Span.SequenceEqual(b.Bytes.Span));
        FuzzAttribute<RequestedTransport>(16, exactBytes: false, lengths: [4]);
        FuzzAttribute<DontFragment>(17, exactBytes: true, lengths: [0]);
        FuzzAttribute<EvenPort>(18, exactBytes: false, lengths: [1]);
        FuzzAttribute<ReservationToken>(19, exactBytes: true, lengths: [8]);
        FuzzAttribute<RequestedAddressFamily>(20, exactBytes: false, lengths: [4]);
        FuzzAttribute<AdditionalAddressFamily>(21, exactBytes: false, lengths: [4]);
        FuzzAttribute<AddressErrorCode>(22, exactBytes: false, lengths: [4, 5, 28], (a, b) =>
            a.Family == b.Family && a.Code == b.Code && a.ReasonUtf8.Span.SequenceEqual(b.ReasonUtf8.Span));
        FuzzAttribute<Icmp>(23, exactBytes: false, lengths: [8]);
        FuzzAttribute<ConnectionId>(24, exactBytes: true, lengths: [4]);
    }

    /// <summary>
    /// <see cref="Iterations"/> values for one attribute, half of a valid length: whatever reads is written, and
    /// the written bytes read to an equal value and are written again identically (reserved bits come out zero);
    /// for attributes without reserved bits the written bytes are the input.
    /// </summary>
    private static void FuzzAttribute<T>(int seed, bool exactBytes, int[] lengths, Func<T, T, bool>? equal = null)
        where T : struct, IStunAttribute<T>
    {
        equal ??= static (a, b) => EqualityComparer<T>.Default.Equals(a, b);
        var random = new Random(seed);
        int read = 0;
        for (int i = 0; i < Iterations; i++)
        {
            int length = random.Next(2) == 0 ? lengths[random.Next(lengths.Length)] : random.Next(0, 48);
            byte[] input = RandomBytes(random, length);
            if (length > 3 && random.Next(4) != 0)
            {
                input[1] = length switch                   // an address family, mostly the one its length fits
                {
                    8 when random.Next(4) != 0 => 1,
                    20 when random.Next(4) != 0 => 2,
                    _ => (byte)random.Next(0, 4),
                };
                input[2] = (byte)random.Next(0, 8);       // an error class, sometimes valid
                input[3] = (byte)random.Next(0, 110);     // an error number, mostly valid
            }

            TransactionId id = TransactionId.Read(RandomBytes(random, TransactionId.Length));
            try
            {
                if (!T.TryRead(input, id, out T attribute))
                {
                    continue;
                }

                read++;
                byte[] written = new byte[attribute.ValueLength];
                attribute.WriteValue(written, id);
                Assert.True(T.TryRead(written, id, out T again), $"{typeof(T).Name}: {Convert.ToHexString(written)} does not read");
                Assert.True(equal(attribute, again), $"{typeof(T).Name}: {Convert.ToHexString(input)} changed");
                byte[] rewritten = new byte[again.ValueLength];
                again.WriteValue(rewritten, id);
                Assert.Equal(written, rewritten);
                if (exactBytes)
                {
                    Assert.Equal(input, written);
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{typeof(T).Name} seed {seed} iteration {i}: {Convert.ToHexString(input)} threw {e}");
            }
        }

        Assert.True(read > Iterations / 10, $"{typeof(T).Name}: only {read} of {Iterations} values read");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Mutated_turn_messages_never_throw_and_their_attributes_read_safely(int seed)
    {
        var random = new Random(seed);
        byte[][] seeds = [.. TurnVectors.Messages];
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = MutateMessage(random, seeds[i % seeds.Length], i);
            try
            {
                if (StunMessage.TryParse(input, out StunMessage message))
                {
                    parsed++;
                    Probe(message);
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed} iteration {i}: {Convert.ToHexString(input)} threw {e}");
            }
        }

        Assert.True(parsed > Iterations / 10, $"only {parsed} of {Iterations} inputs parsed");
    }

    private static byte[] MutateMessage(Random random, byte[] seed, int i)
    {
        switch (i % 3)
        {
            case 0:
                return seed[..random.Next(0, seed.Length + 1)];
            case 1:
            {
                byte[] copy = [.. seed];
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    copy[random.Next(20, copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            }
            default:
            {
                // A TURN header over random TLVs of TURN attribute types with lengths near their right ones.
                StunAttributeType[] types =
                [
                    StunAttributeType.XorPeerAddress, StunAttributeType.XorRelayedAddress, StunAttributeType.Lifetime,
                    StunAttributeType.ChannelNumber, StunAttributeType.Data, StunAttributeType.RequestedTransport,
                    StunAttributeType.DontFragment, StunAttributeType.EvenPort, StunAttributeType.ReservationToken,
                    StunAttributeType.RequestedAddressFamily, StunAttributeType.AdditionalAddressFamily,
                    StunAttributeType.AddressErrorCode, StunAttributeType.Icmp, StunAttributeType.ConnectionId,
                ];
                var body = new List<byte>();
                for (int a = random.Next(0, 10); a > 0; a--)
                {
                    ushort type = (ushort)types[random.Next(types.Length)];
                    int length = random.Next(3) == 0 ? random.Next(0, 24) : new[] { 0, 1, 4, 8, 20 }[random.Next(5)];
                    byte[] value = RandomBytes(random, (length + 3) & ~3);
                    if (value.Length > 1)
                    {
                        value[1] = (byte)random.Next(1, 3);
                    }

                    body.AddRange([(byte)(type >> 8), (byte)type, 0, (byte)length]);
                    body.AddRange(value);
                }

                byte[] message = [.. seed[..20], .. body];
                BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)body.Count);
                return message;
            }
        }
    }

    private static void Probe(StunMessage message)
    {
        if (message.TryGet(out XorPeerAddress peer))
        {
            Assert.Equal(peer.Address.IsIPv4 ? 8 : 20, peer.ValueLength);
        }

        message.TryGet(out XorRelayedAddress _);
        message.TryGet(out Lifetime _);
        if (message.TryGet(out ChannelNumber channel))
        {
            Assert.Equal(ChannelNumber.IsValidNumber(channel.Number), channel.IsValid);
        }

        if (message.TryGet(out Data data))
        {
            Assert.InRange(data.Bytes.Length, 0, message.Raw.Length - StunMessage.HeaderLength - 4);
        }

        message.TryGet(out RequestedTransport _);
        message.TryGet(out DontFragment _);
        message.TryGet(out EvenPort _);
        message.TryGet(out ReservationToken _);
        message.TryGet(out RequestedAddressFamily _);
        message.TryGet(out AdditionalAddressFamily _);
        if (message.TryGet(out AddressErrorCode addressError))
        {
            Assert.InRange(addressError.Code, 300, 699);
        }

        message.TryGet(out Icmp _);
        message.TryGet(out ConnectionId _);
        foreach (StunAttribute attribute in message.GetAttributes())
        {
            if (attribute.Type == StunAttributeType.XorRelayedAddress)
            {
                XorRelayedAddress.TryRead(attribute.Value, message.TransactionId, out _);
            }
        }

        message.CheckMessageIntegrity(TurnVectors.LongTermKey);
        message.CheckFingerprint();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
