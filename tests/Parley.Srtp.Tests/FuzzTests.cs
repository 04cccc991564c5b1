using System.Buffers.Binary;

namespace Parley.Srtp.Tests;

/// <summary>
/// Random and mutated input from fixed seeds, 24,000 packets per profile and per protocol (144,000 in all), so a
/// failure names a reproducible case: unprotect never throws, and accepts nothing but genuine packets.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 24_000;

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Random_and_mutated_srtp_packets_never_throw_and_no_forgery_is_accepted(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        var random = new Random(1000 + (int)profile);
        byte[][] seeds = [.. Enumerable.Range(0, 16).Select(i => TestPackets.Protect(sender,
            TestPackets.Rtp((ushort)(i * 4000), 0x1000u + (uint)(i % 3), random.Next(0, 300), csrcs: i % 3, extensionWords: (i % 4) - 1)))];
        Run(random, seeds, RtpHeaderFields.FixedLength, (input, genuine) =>
        {
            bool accepted = receiver.TryUnprotectRtp(input, out int length);
            Assert.True(!accepted || genuine, "a forged SRTP packet was accepted");
            Assert.InRange(length, 0, input.Length);
        });
    }

    [Theory]
    [MemberData(nameof(TestPackets.AllProfiles), MemberType = typeof(TestPackets))]
    public void Random_and_mutated_srtcp_packets_never_throw_and_no_forgery_is_accepted(SrtpProfile profile)
    {
        using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
        var random = new Random(2000 + (int)profile);
        byte[][] seeds = [.. Enumerable.Range(0, 16).Select(i => TestPackets.ProtectRtcp(sender,
            TestPackets.Rtcp(0x2000u + (uint)(i % 3), reportBlocks: i % 4, fill: (byte)i)))];
        Run(random, seeds, RtcpHeaderFields.Length, (input, genuine) =>
        {
            bool accepted = receiver.TryUnprotectRtcp(input, out int length);
            Assert.True(!accepted || genuine, "a forged SRTCP packet was accepted");
            Assert.InRange(length, 0, input.Length);
        });
    }

    [Fact]
    public void Random_input_to_protect_never_throws_and_what_is_protected_unprotects()
    {
        var random = new Random(3000);
        foreach (SrtpProfile profile in TestPackets.Profiles)
        {
            using SrtpContext sender = TestKeys.Context(profile), receiver = TestKeys.Context(profile);
            for (int i = 0; i < 2_000; i++)
            {
                byte[] input = RandomBytes(random, random.Next(0, 120));
                if (input.Length > 0)
                {
                    input[0] = (byte)((input[0] & 0x3F) | 0x80); // mostly version 2, to get past the first check
                }

                byte[] buffer = [.. input, .. new byte[random.Next(0, 40)]];
                bool rtcp = i % 2 == 1;
                bool ok = rtcp ? sender.TryProtectRtcp(buffer, input.Length, out int length)
                    : sender.TryProtectRtp(buffer, input.Length, out length);
                if (ok)
                {
                    byte[]? back = rtcp ? TestPackets.UnprotectRtcp(receiver, buffer[..length])
                        : TestPackets.Unprotect(receiver, buffer[..length]);
                    // A random RTP sequence number may fall behind the window of what came before; never garbled.
                    Assert.True(back is null ? !rtcp : back.SequenceEqual(input), $"{profile} case {i}");
                }
            }
        }
    }

    private static void Run(Random random, byte[][] seeds, int headerLength, Action<byte[], bool> unprotect)
    {
        for (int i = 0; i < Iterations; i++)
        {
            byte[] seed = seeds[i % seeds.Length];
            byte[] input = Mutate(random, seed, headerLength, i);
            try
            {
                unprotect(input, input.AsSpan().SequenceEqual(seed));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"iteration {i}: {Convert.ToHexString(input)} threw {e}");
            }
        }
    }

    private static byte[] Mutate(Random random, byte[] seed, int headerLength, int i)
    {
        switch (i % 6)
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
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            }
            case 3:
            {
                // A version 2 header with random CSRC count, extension bit and length over random bytes.
                byte[] packet = RandomBytes(random, random.Next(headerLength, 120));
                packet[0] = (byte)(0x80 | (packet[0] & 0x3F));
                if (packet.Length >= 16 && random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), (ushort)random.Next(0, 40));
                }

                return packet;
            }
            case 4:
                return [.. seed, .. RandomBytes(random, random.Next(1, 20))];
            default:
            {
                // The genuine header over a random body and tag.
                byte[] copy = [.. seed];
                random.NextBytes(copy.AsSpan(headerLength));
                return copy;
            }
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
