using System.Buffers.Binary;
using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

/// <summary>
/// Random and mutated input for every reader, 20,000 inputs each from a fixed seed (so a failure names a
/// reproducible case): no reader throws, and whatever parses writes back, parses again to the same thing, and
/// (without padding, whose content is not kept) gives back the very bytes it was read from.
/// </summary>
public sealed class FuzzTests
{
    private const int Iterations = 20_000;

    private delegate bool Reader<T>(ReadOnlySpan<byte> data, out T value) where T : allows ref struct;

    /// <summary>Runs a reader on one input: false when it refuses it, otherwise checks the round trip.</summary>
    private delegate bool Probe(byte[] input);

    private static readonly byte[][] RtpSeeds = [.. RtpVectors.All];
    private static readonly byte[][] RtcpSeeds = [.. RtcpVectors.All];

    private static readonly Dictionary<string, (byte[][] Seeds, Probe Probe)> Readers = new()
    {
        ["RtpPacket"] = (RtpSeeds, ProbeRtp),
        ["RtpHeaderExtension"] = ([.. RtpSeeds.Where(s => (s[0] & 0x10) != 0).Select(ExtensionBlock)], ProbeExtensionBlock),
        ["ExtensionValues"] = ([[0x12, 0x34, 0x56], [0x00, 0x2a], [0xaa], "video"u8.ToArray(), "lo-1"u8.ToArray()], ProbeExtensionValues),
        ["RtxPacket"] = (RtpSeeds, ProbeRtx),
        ["RtcpCompoundPacket"] = (RtcpSeeds, ProbeCompound),
        ["RtcpHeader"] = ([.. RtcpSeeds.Select(s => s[..4])], input => RoundTrips<RtcpHeader>(input, TryReadHeaderOnly, exact: false)),
        ["SenderReport"] = ([RtcpVectors.SenderReport], input => RoundTrips<SenderReport>(input, SenderReport.TryRead)),
        ["ReceiverReport"] = ([RtcpVectors.ReceiverReport], input => RoundTrips<ReceiverReport>(input, ReceiverReport.TryRead)),
        ["SourceDescription"] = ([RtcpVectors.SourceDescription], ProbeSdes),
        ["Goodbye"] = ([RtcpVectors.Goodbye], input => RoundTrips<Goodbye>(input, Goodbye.TryRead, exact: false)),
        ["PictureLossIndication"] = ([RtcpVectors.PictureLossIndication],
            input => RoundTrips<PictureLossIndication>(input, PictureLossIndication.TryRead)),
        ["FullIntraRequest"] = ([RtcpVectors.FullIntraRequest], input => RoundTrips<FullIntraRequest>(input, FullIntraRequest.TryRead)),
        ["GenericNack"] = ([RtcpVectors.GenericNack], ProbeNack),
        ["ReceiverEstimatedMaxBitrate"] = ([RtcpVectors.Remb],
            input => RoundTrips<ReceiverEstimatedMaxBitrate>(input, ReceiverEstimatedMaxBitrate.TryRead)),
        ["TransportWideFeedback"] = ([RtcpVectors.TransportWideFeedback], ProbeTwcc),
        ["ReportBlock"] = ([RtcpVectors.SenderReport[28..52]], input => RoundTrips<ReportBlock>(input, ReportBlock.TryRead)),
        ["FirEntry"] = ([RtcpVectors.FullIntraRequest[12..20]], input => RoundTrips<FirEntry>(input, FirEntry.TryRead, exact: false)),
        ["NackPair"] = ([RtcpVectors.GenericNack[12..16]], input => RoundTrips<NackPair>(input, NackPair.TryRead)),
        ["TwccPacketChunk"] = ([[0x00, 0xdd], [0x9f, 0x1c], [0xcd, 0x50]], input => RoundTrips<TwccPacketChunk>(input, TwccPacketChunk.TryRead)),
    };

    public static TheoryData<string> ReaderNames => [.. Readers.Keys];

    [Theory]
    [MemberData(nameof(ReaderNames))]
    public void Random_and_mutated_input_never_throws_and_what_parses_round_trips(string reader)
    {
        (byte[][] seeds, Probe probe) = Readers[reader];
        var random = new Random(Readers.Keys.ToList().IndexOf(reader) + 1);
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = Mutate(random, seeds[i % seeds.Length], i);
            try
            {
                if (probe(input))
                {
                    parsed++;
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{reader}, iteration {i}: {Convert.ToHexString(input)} threw {e}");
            }
            catch (Xunit.Sdk.XunitException e)
            {
                Assert.Fail($"{reader}, iteration {i}: {Convert.ToHexString(input)}: {e.Message}");
            }
        }

        // The mutations must get past the first checks often enough to exercise the rest of the reader.
        Assert.True(parsed > Iterations / 50, $"only {parsed} of {Iterations} inputs parsed");
    }

    private static byte[] Mutate(Random random, byte[] seed, int i)
    {
        switch (i % 7)
        {
            case 0:
            {
                byte[] bytes = RandomBytes(random, random.Next(0, Math.Max(8, seed.Length * 2)));
                if (bytes.Length > 0 && random.Next(2) == 0)
                {
                    bytes[0] = (byte)(0x80 | (bytes[0] & 0x3F)); // version 2, so that more gets looked at
                }

                return bytes;
            }

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
                // Random bytes over the body, the first word kept, the length field left to agree.
                byte[] copy = [.. seed];
                for (int k = random.Next(1, 6); k > 0 && copy.Length > 4; k--)
                {
                    copy[random.Next(4, copy.Length)] = (byte)random.Next(256);
                }

                return copy;
            }

            case 4:
            {
                // Grow or shrink by whole words and fix the RTCP length field, or cut a byte or two.
                int delta = random.Next(-2, 3) * 4 + (random.Next(4) == 0 ? random.Next(-2, 3) : 0);
                byte[] copy = new byte[Math.Max(0, seed.Length + delta)];
                seed.AsSpan(0, Math.Min(seed.Length, copy.Length)).CopyTo(copy);
                random.NextBytes(copy.AsSpan(Math.Min(seed.Length, copy.Length)));
                if (copy.Length >= 4 && copy.Length % 4 == 0 && random.Next(2) == 0)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)((copy.Length / 4) - 1));
                }

                return copy;
            }

            case 5:
            {
                // Set a count field (CC, RC, SC or FMT) or flip the P and X bits.
                byte[] copy = [.. seed];
                if (copy.Length > 0)
                {
                    copy[0] = random.Next(2) == 0
                        ? (byte)((copy[0] & 0xE0) | random.Next(32))
                        : (byte)(copy[0] ^ (random.Next(2) == 0 ? 0x20 : 0x10));
                }

                return copy;
            }

            default:
            {
                // Two seeds back to back, or a seed and random bytes.
                byte[] tail = random.Next(2) == 0 ? seed : RandomBytes(random, random.Next(1, 16));
                return [.. seed, .. tail];
            }
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The extension block of an RTP packet that has one (no CSRCs in the vectors that do).</summary>
    private static byte[] ExtensionBlock(byte[] packet) =>
        packet[12..(16 + (BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(14)) * 4))];

    private static bool HasPadding(byte[] input) => input.Length > 0 && (input[0] & 0x20) != 0;

    /// <summary>Parse, write, parse again, write again: both writes agree, and without padding match the input.</summary>
    private static bool RoundTrips<T>(byte[] input, Reader<T> read, bool exact = true)
        where T : IWireEncodable, allows ref struct
    {
        if (!read(input, out T value))
        {
            return false;
        }

        byte[] first = new byte[value.GetEncodedLength()];
        if (!value.TryWrite(first, out int written))
        {
            // Only a padded packet can leave a payload that is not a whole number of words.
            Assert.True(HasPadding(input), "a parsed value was not writable");
            return true;
        }

        Assert.Equal(first.Length, written);
        Assert.True(read(first, out T again), "what was written does not parse");
        byte[] second = new byte[again.GetEncodedLength()];
        Assert.True(again.TryWrite(second, out _));
        Assert.Equal(first, second);
        if (exact && !HasPadding(input))
        {
            Assert.Equal(input, first);
        }

        return true;
    }

    private static bool TryReadHeaderOnly(ReadOnlySpan<byte> data, out RtcpHeader header) =>
        RtcpHeader.TryRead(data, out header) && data.Length == RtcpHeader.EncodedLength;

    private static bool ProbeRtp(byte[] input)
    {
        if (!RtpPacket.TryRead(input, out RtpPacket packet))
        {
            return false;
        }

        Assert.Equal(input.Length, packet.GetEncodedLength());
        ProbeElements(packet.Extension);
        byte[] written = Wire.Encode(packet);
        Assert.True(RtpPacket.TryRead(written, out RtpPacket again));
        Assert.Equal(packet.Header, again.Header);
        Assert.Equal(packet.Csrcs.Count, again.Csrcs.Count);
        Assert.Equal(packet.HasExtension, again.HasExtension);
        Assert.Equal(packet.Extension.Profile, again.Extension.Profile);
        Assert.True(packet.Extension.Data.SequenceEqual(again.Extension.Data));
        Assert.True(packet.Payload.SequenceEqual(again.Payload));
        Assert.Equal(packet.PaddingLength, again.PaddingLength);
        if (packet.PaddingLength == 0)
        {
            Assert.Equal(input, written);
        }

        return true;
    }

    private static bool ProbeExtensionBlock(byte[] input)
    {
        if (!RtpHeaderExtension.TryRead(input, out RtpHeaderExtension extension))
        {
            return false;
        }

        ProbeElements(extension);
        Assert.Equal(input, Wire.Encode(extension));
        return true;
    }

    private static void ProbeElements(RtpHeaderExtension extension)
    {
        int end = 0;
        foreach (RtpExtensionElement element in extension.GetElements())
        {
            Assert.InRange(element.ValueOffset, end, extension.Data.Length - element.Value.Length);
            end = element.ValueOffset + element.Value.Length;
            Assert.NotEqual(0, element.Id);
            Assert.True(extension.TryGetElement(element.Id, out _));
            ProbeValues(element.Value);
        }
    }

    private static bool ProbeExtensionValues(byte[] input)
    {
        bool any = false;
        any |= ValueRoundTrips<AbsoluteSendTime>(input);
        any |= ValueRoundTrips<TransportSequenceNumber>(input);
        any |= ValueRoundTrips<AudioLevel>(input);
        any |= ValueRoundTrips<SdesMid>(input);
        any |= ValueRoundTrips<RtpStreamId>(input);
        any |= ValueRoundTrips<RepairedRtpStreamId>(input);
        return any;
    }

    private static void ProbeValues(ReadOnlySpan<byte> value) => ProbeExtensionValues(value.ToArray());

    private static bool ValueRoundTrips<T>(byte[] input) where T : struct, IRtpExtensionValue<T>
    {
        if (!T.TryRead(input, out T value))
        {
            return false;
        }

        Assert.True(T.TryRead(Wire.Encode(value), out T again));
        Assert.Equal(value, again);
        return true;
    }

    private static bool ProbeRtx(byte[] input)
    {
        byte[] wrapped = new byte[RtxPacket.GetMaxWrappedLength(input.Length)];
        if (!RtxPacket.TryWrap(input, wrapped, 0x22222222, 97, 7, out int length))
        {
            return false;
        }

        byte[] unwrapped = new byte[length];
        Assert.True(RtpPacket.TryRead(input, out RtpPacket original));
        Assert.True(RtxPacket.TryUnwrap(wrapped.AsSpan(0, length), unwrapped, original.Ssrc, original.PayloadType, out int back));
        Assert.True(RtpPacket.TryRead(unwrapped.AsSpan(0, back), out RtpPacket restored));
        Assert.Equal(original.Header, restored.Header);
        Assert.True(original.Payload.SequenceEqual(restored.Payload));
        if (original.PaddingLength == 0)
        {
            Assert.Equal(input, unwrapped[..back]);
        }

        return true;
    }

    private static bool ProbeCompound(byte[] input)
    {
        if (!RtcpCompoundPacket.TryRead(input, out RtcpCompoundPacket compound))
        {
            return false;
        }

        int count = 0, total = 0;
        foreach (RtcpPacket packet in compound)
        {
            count++;
            total += packet.Raw.Length;
            byte[] raw = packet.Raw.ToArray();
            RoundTrips<SenderReport>(raw, SenderReport.TryRead);
            RoundTrips<ReceiverReport>(raw, ReceiverReport.TryRead);
            ProbeSdes(raw);
            RoundTrips<Goodbye>(raw, Goodbye.TryRead, exact: false);
            RoundTrips<PictureLossIndication>(raw, PictureLossIndication.TryRead);
            RoundTrips<FullIntraRequest>(raw, FullIntraRequest.TryRead);
            ProbeNack(raw);
            RoundTrips<ReceiverEstimatedMaxBitrate>(raw, ReceiverEstimatedMaxBitrate.TryRead);
            ProbeTwcc(raw);
        }

        Assert.Equal(compound.Count, count);
        Assert.Equal(input.Length, total);
        return true;
    }

    private static bool ProbeSdes(byte[] input)
    {
        if (!RoundTrips<SourceDescription>(input, SourceDescription.TryRead))
        {
            return false;
        }

        Assert.True(SourceDescription.TryRead(input, out SourceDescription sdes));
        int chunks = 0;
        foreach (SdesChunk chunk in sdes.GetChunks())
        {
            chunks++;
            foreach (SdesItem item in chunk.GetItems())
            {
                Assert.NotEqual(SdesItemType.End, item.Type);
            }

            _ = chunk.Cname;
        }

        Assert.Equal(sdes.ChunkCount, chunks);
        return true;
    }

    private static bool ProbeNack(byte[] input)
    {
        if (!RoundTrips<GenericNack>(input, GenericNack.TryRead))
        {
            return false;
        }

        Assert.True(GenericNack.TryRead(input, out GenericNack nack));
        int lost = 0;
        foreach (ushort _ in nack.GetLostSequenceNumbers())
        {
            lost++;
        }

        Assert.Equal(nack.LostCount, lost);
        return true;
    }

    /// <summary>Besides the byte round trip, rebuilding the feedback from the packets it reports as received gives
    /// the same arrivals: the receiver's view survives the sender's parse.</summary>
    private static bool ProbeTwcc(byte[] input)
    {
        if (!RoundTrips<TransportWideFeedback>(input, TransportWideFeedback.TryRead))
        {
            return false;
        }

        Assert.True(TransportWideFeedback.TryRead(input, out TransportWideFeedback feedback));
        var arrivals = new List<TwccArrival>();
        int statuses = 0;
        foreach (TwccPacketStatus status in feedback.GetPacketStatuses())
        {
            statuses++;
            if (status.IsReceived)
            {
                arrivals.Add(new TwccArrival(status.SequenceNumber, status.ArrivalTime));
            }
        }

        Assert.Equal(feedback.PacketStatusCount, statuses);
        if (arrivals.Count > 0)
        {
            Assert.True(TransportWideFeedback.TryCreate(1, 2, 3, [.. arrivals], out TransportWideFeedback rebuilt));
            Assert.True(TransportWideFeedback.TryRead(Wire.Encode(rebuilt), out TransportWideFeedback parsed));
            var again = new List<TwccArrival>();
            foreach (TwccPacketStatus status in parsed.GetPacketStatuses())
            {
                if (status.IsReceived)
                {
                    again.Add(new TwccArrival(status.SequenceNumber, status.ArrivalTime));
                }
            }

            Assert.Equal(arrivals.Count, again.Count);
            const long wrap = (1L << 24) * 640_000; // the 24-bit reference time wraps every 2^24 x 64 ms
            for (int i = 0; i < arrivals.Count; i++)
            {
                Assert.Equal(arrivals[i].SequenceNumber, again[i].SequenceNumber);
                Assert.Equal(0, (arrivals[i].ArrivalTime - again[i].ArrivalTime).Ticks % wrap);
            }
        }

        return true;
    }
}
