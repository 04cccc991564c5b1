using System.Buffers.Binary;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>
/// Random and mutated input, 120,000 messages per run from fixed seeds (so a failure names a reproducible case):
/// the parser never throws, every attribute reader and check runs safely on whatever parses, and what parses
/// survives a rebuild with the same attributes.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 30_000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_and_mutated_packets_never_throw_and_what_parses_round_trips(int seed)
    {
        var random = new Random(seed);
        byte[][] seeds = [.. Rfc5769Vectors.All];
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = Mutate(random, seeds[i % seeds.Length], i);
            try
            {
                if (StunMessage.TryParse(input, out StunMessage message))
                {
                    parsed++;
                    Probe(message);
                    AssertRebuildsWithSameAttributes(message);
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed} iteration {i}: {Convert.ToHexString(input)} threw {e}");
            }
        }

        // The mutations must reach past the header checks often enough to exercise attribute handling.
        Assert.True(parsed > Iterations / 10, $"only {parsed} of {Iterations} inputs parsed");
    }

    private static byte[] Mutate(Random random, byte[] seed, int i)
    {
        switch (i % 5)
        {
            case 0:
                return RandomBytes(random, random.Next(0, 200));
            case 1:
                return seed[..random.Next(0, seed.Length + 1)];
            case 2:
            {
                byte[] copy = [.. seed];
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    copy[random.Next(20, copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            }
            case 3:
            {
                // A valid header over a soup of random TLVs with plausible types and lengths.
                var body = new List<byte>();
                int attributes = random.Next(0, 12);
                for (int a = 0; a < attributes; a++)
                {
                    ushort type = PlausibleType(random);
                    int length = random.Next(0, 40);
                    body.AddRange([(byte)(type >> 8), (byte)type, 0, (byte)length]);
                    body.AddRange(RandomBytes(random, (length + 3) & ~3));
                }

                return WithHeader(random, [.. body]);
            }
            default:
            {
                // Splice attributes from one vector onto the header of another and shuffle their order.
                byte[] copy = [.. seed];
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2),
                    (ushort)(BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(2)) + (random.Next(-2, 3) * 4)));
                return copy;
            }
        }
    }

    private static ushort PlausibleType(Random random)
    {
        StunAttributeType[] known = Enum.GetValues<StunAttributeType>();
        return random.Next(4) == 0 ? (ushort)random.Next(0, 0x10000) : (ushort)known[random.Next(known.Length)];
    }

    private static byte[] WithHeader(Random random, byte[] body)
    {
        byte[] message = new byte[20 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)random.Next(0, 0x4000));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)body.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), StunMessage.MagicCookie);
        random.NextBytes(message.AsSpan(8, 12));
        body.CopyTo(message, 20);
        return message;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void Probe(StunMessage message)
    {
        foreach (StunAttribute attribute in message.GetAttributes())
        {
            Assert.InRange(attribute.Offset + 4 + attribute.Value.Length, 0, message.Raw.Length);
        }

        message.TryGet(out MappedAddress _);
        message.TryGet(out XorMappedAddress _);
        message.TryGet(out AlternateServer _);
        message.TryGet(out ResponseOrigin _);
        message.TryGet(out OtherAddress _);
        message.TryGet(out Username username);
        _ = username.ToString();
        message.TryGet(out Realm _);
        message.TryGet(out Nonce _);
        message.TryGet(out Software _);
        message.TryGet(out AlternateDomain _);
        if (message.TryGet(out ErrorCode error))
        {
            Assert.InRange(error.Code, 300, 699);
        }

        if (message.TryGet(out UnknownAttributes unknown))
        {
            for (int i = 0; i < unknown.Count; i++)
            {
                _ = unknown[i];
            }
        }

        message.TryGet(out Priority _);
        message.TryGet(out UseCandidate _);
        message.TryGet(out IceControlled _);
        message.TryGet(out IceControlling _);
        message.TryGet(out ChangeRequest _);
        message.TryGet(out ResponsePort _);
        message.TryGet(out Padding _);
        message.TryGet(out UserHash _);
        message.TryGet(out PasswordAlgorithm _);
        if (message.TryGet(out PasswordAlgorithms algorithms))
        {
            algorithms.Contains(StunPasswordAlgorithm.Sha256);
        }

        message.CheckMessageIntegrity("key"u8);
        message.CheckMessageIntegritySha256("key"u8);
        message.CheckFingerprint();
        Span<StunAttributeType> unknownTypes = stackalloc StunAttributeType[8];
        message.GetUnknownComprehensionRequired(unknownTypes, static t => t == StunAttributeType.Username);
    }

    private static void AssertRebuildsWithSameAttributes(StunMessage message)
    {
        byte[] buffer = new byte[message.Raw.Length];
        var builder = new StunMessageBuilder(buffer, message.Type, message.TransactionId);
        var original = new List<(StunAttributeType, byte[])>();
        foreach (StunAttribute attribute in message.GetAttributes())
        {
            original.Add((attribute.Type, attribute.Value.ToArray()));
            builder.AddRaw(attribute.Type, attribute.Value.Span);
        }

        Assert.True(StunMessage.TryParse(builder.Message.ToArray(), out StunMessage rebuilt));
        Assert.Equal(message.Type, rebuilt.Type);
        Assert.Equal(message.TransactionId, rebuilt.TransactionId);
        var again = new List<(StunAttributeType, byte[])>();
        foreach (StunAttribute attribute in rebuilt.GetAttributes())
        {
            again.Add((attribute.Type, attribute.Value.ToArray()));
        }

        Assert.Equal(original.Count, again.Count);
        for (int i = 0; i < original.Count; i++)
        {
            Assert.Equal(original[i].Item1, again[i].Item1);
            Assert.Equal(original[i].Item2, again[i].Item2);
        }
    }
}
