using Parley.Rtp.Rtcp;

namespace Parley.Rtp.Tests;

/// <summary>The forwarding path runs per packet: parsing, reading extensions and rewriting must not allocate.</summary>
public sealed class AllocationTests
{
    private const int Rounds = 1_000;

    private delegate long Work(byte[] buffer);

    private static void AssertAllocatesNothing(Work work, byte[] buffer)
    {
        long checksum = work(buffer); // warm up: JIT, statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Rounds; i++)
        {
            checksum += work(buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    [Fact]
    public void Parsing_a_packet_and_reading_its_extensions_allocates_nothing() =>
        AssertAllocatesNothing(static buffer =>
        {
            long sum = 0;
            if (RtpPacket.TryRead(RtpVectors.WebRtcVideo, out RtpPacket packet))
            {
                sum += packet.SequenceNumber + packet.Ssrc + packet.Payload.Length;
                foreach (RtpExtensionElement element in packet.Extension.GetElements())
                {
                    sum += element.Id + element.Value.Length;
                }

                packet.Extension.TryGet(3, out TransportSequenceNumber twcc);
                packet.Extension.TryGet(2, out AbsoluteSendTime sendTime);
                packet.Extension.TryGetElement(4, out ReadOnlySpan<byte> mid);
                sum += twcc.Value + sendTime.Value + mid.Length;
            }

            if (RtpPacket.TryRead(RtpVectors.WebRtcAudio, out packet) && packet.Extension.TryGet(1, out AudioLevel level))
            {
                sum += level.Level;
            }

            return sum + (RtpDemux.Classify(RtpVectors.Minimal) == DemuxedProtocol.Rtp ? 1 : 0);
        }, []);

    [Fact]
    public void In_place_rewrites_allocate_nothing()
    {
        byte[] packet = [.. RtpVectors.WebRtcVideo];
        AssertAllocatesNothing(static buffer =>
        {
            RtpPacketRewriter.SetSsrc(buffer, 0xAABBCCDD);
            RtpPacketRewriter.SetSequenceNumber(buffer, 7);
            RtpPacketRewriter.SetTimestamp(buffer, 90_000);
            RtpPacketRewriter.SetPayloadType(buffer, 100);
            RtpPacketRewriter.SetMarker(buffer, true);
            bool ok = RtpPacketRewriter.TrySetExtension(buffer, 3, new TransportSequenceNumber(1234))
                && RtpPacketRewriter.TrySetExtension(buffer, 2, new AbsoluteSendTime(0x010203))
                && RtpPacketRewriter.TrySetExtensionValue(buffer, 4, "1"u8);
            return ok ? buffer[8] : 0;
        }, packet);

        Assert.True(RtpPacket.TryRead(packet, out RtpPacket rewritten));
        Assert.Equal(new RtpHeader(true, 100, 7, 90_000, 0xAABBCCDD), rewritten.Header);
    }

    [Fact]
    public void Rtx_wrapping_and_unwrapping_allocate_nothing() =>
        AssertAllocatesNothing(static buffer =>
        {
            int unwrapped = 0;
            bool ok = RtxPacket.TryWrap(RtpVectors.RtxOriginal, buffer, 0x22222222, 97, 1280, out int wrapped)
                && RtxPacket.TryUnwrap(buffer.AsSpan(0, wrapped), buffer, 0x11111111, 96, out unwrapped);
            return ok ? wrapped + unwrapped : 0;
        }, new byte[64]);

    [Fact]
    public void Reading_rtcp_feedback_allocates_nothing() =>
        AssertAllocatesNothing(static buffer =>
        {
            long sum = 0;
            if (RtcpCompoundPacket.TryRead(RtcpVectors.Compound, out RtcpCompoundPacket compound))
            {
                foreach (RtcpPacket packet in compound)
                {
                    sum += packet.Raw.Length;
                    if (ReceiverReport.TryRead(packet.Raw, out ReceiverReport rr))
                    {
                        foreach (ReportBlock block in rr.ReportBlocks)
                        {
                            sum += block.CumulativeLost;
                        }
                    }
                }
            }

            if (GenericNack.TryRead(RtcpVectors.GenericNack, out GenericNack nack))
            {
                foreach (ushort lost in nack.GetLostSequenceNumbers())
                {
                    sum += lost;
                }
            }

            if (TransportWideFeedback.TryRead(RtcpVectors.TransportWideFeedback, out TransportWideFeedback feedback))
            {
                foreach (TwccPacketStatus status in feedback.GetPacketStatuses())
                {
                    sum += status.ArrivalTime.Ticks;
                }
            }

            return sum;
        }, []);

    [Fact]
    public void Building_feedback_into_a_buffer_allocates_nothing()
    {
        var arrivals = new TwccArrival[200];
        for (int i = 0; i < arrivals.Length; i++)
        {
            arrivals[i] = new TwccArrival((ushort)(65500 + (i * 3 / 2)), TimeSpan.FromMilliseconds(i * 5));
        }

        ushort[] lost = [1, 2, 5, 40, 41];
        var pairs = new NackPair[4];
        AssertAllocatesNothing(buffer =>
        {
            long sum = 0;
            if (TransportWideFeedback.TryCreate(1, 2, 3, arrivals, out TransportWideFeedback feedback)
                && feedback.TryWrite(buffer, out int written))
            {
                sum += written;
            }

            if (GenericNack.TryCreatePairs(lost, pairs, out int count)
                && new GenericNack(1, 2, new RtcpItemList<NackPair>(pairs.AsSpan(0, count))).TryWrite(buffer, out int nack))
            {
                sum += nack;
            }

            return sum;
        }, new byte[2048]);
    }
}
