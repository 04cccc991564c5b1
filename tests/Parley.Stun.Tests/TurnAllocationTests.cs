using System.Net;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>The relay's per-packet work: reading ChannelData and Send indications, and writing ChannelData and Data
/// indications, must not allocate.</summary>
public sealed class TurnAllocationTests
{
    private const int Rounds = 1_000;

    private delegate long Work(byte[] buffer);

    private static void AssertAllocatesNothing(Work work)
    {
        byte[] buffer = new byte[2048];
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
    public void Reading_a_channel_data_message_allocates_nothing() =>
        AssertAllocatesNothing(static _ =>
        {
            long sum = 0;
            if (ChannelData.LooksLikeChannelData(TurnVectors.ChannelDataTcp)
                && StunFraming.TryGetTurnFrameLength(TurnVectors.ChannelDataTcp, out int frameLength)
                && ChannelData.TryRead(TurnVectors.ChannelDataTcp.AsSpan(0, frameLength), out ChannelData message))
            {
                sum += message.ChannelNumber + message.Data.Length + message.Data[0];
            }

            if (ChannelData.TryRead(TurnVectors.ChannelDataUdp, out message))
            {
                sum += message.ChannelNumber + message.Data[^1];
            }

            return sum;
        });

    [Fact]
    public void Reading_the_peer_and_data_of_a_send_indication_allocates_nothing() =>
        AssertAllocatesNothing(static _ =>
        {
            long sum = 0;
            if (StunMessage.TryParse(TurnVectors.SendIndication, out StunMessage message)
                && message.Type == StunMessageType.SendIndication
                && message.TryGet(out XorPeerAddress peer)
                && message.TryGet(out Data data))
            {
                sum += (long)(ulong)peer.Address.Address + peer.Address.Port + data.Bytes.Length + data.Bytes.Span[0];
            }

            return sum;
        });

    [Fact]
    public void Writing_channel_data_and_a_data_indication_from_a_received_datagram_allocates_nothing()
    {
        var peer = TransportAddress.FromIPEndPoint(IPEndPoint.Parse("192.0.2.77:5000"));
        TransactionId id = TransactionId.Read(TurnVectors.SendTransactionId);
        AssertAllocatesNothing(buffer =>
        {
            ReadOnlySpan<byte> datagram = "hello, peer"u8;
            ChannelData.TryWrite(buffer, 0x4001, datagram, pad: true, out int written);

            var builder = new StunMessageBuilder(buffer.AsSpan(written), StunMessageType.DataIndication, id);
            builder.Add(new XorPeerAddress(peer));
            Data.WriteTo(ref builder, datagram);
            return written + builder.Length;
        });
    }
}
