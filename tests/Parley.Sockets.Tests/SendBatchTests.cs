using System.Net;
using System.Net.Sockets;

namespace Parley.Sockets.Tests;

public sealed class SendBatchTests
{
    private static byte[] Datagram(int i) => [(byte)i, (byte)(i * 3), 0x55, (byte)(100 + i)];

    [Fact]
    public void Flush_sends_every_queued_datagram_in_order_to_its_destination()
    {
        using var from = new LoopbackUdp();
        using var a = new LoopbackUdp();
        using var b = new LoopbackUdp();
        var listener = new RecordingListener();
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, listener: listener);
        for (int i = 0; i < 6; i++)
        {
            Assert.True(batch.TryAdd(from.Socket, Datagram(i), (i % 2 == 0 ? a : b).Address, tag: i));
        }

        Assert.Equal(6, batch.Count);
        Assert.Equal(0, a.Socket.Available + b.Socket.Available); // nothing went out before the flush
        batch.Flush();

        Assert.Equal(0, batch.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5], listener.Sent);
        Assert.Empty(listener.Dropped);
        for (int i = 0; i < 6; i += 2)
        {
            Assert.Equal(Datagram(i), a.Receive());
            Assert.Equal(Datagram(i + 1), b.Receive());
        }
    }

    [Fact]
    public void A_datagram_built_in_the_slot_goes_out_from_its_offset()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        using var batch = new SendBatch(capacity: 4, slotBytes: 64);
        byte[] slot = batch.Buffer;
        slot.AsSpan().Fill(0xEE);
        Datagram(7).CopyTo(slot, 10);
        batch.Add(from.Socket, to.Address, start: 10, length: 4);
        batch.Flush();
        Assert.Equal(Datagram(7), to.Receive());
    }

    [Fact]
    public void A_full_batch_sends_itself()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        var listener = new RecordingListener();
        using var batch = new SendBatch(capacity: 3, slotBytes: 64, listener: listener);
        batch.TryAdd(from.Socket, Datagram(1), to.Address, 1);
        batch.TryAdd(from.Socket, Datagram(2), to.Address, 2);
        Assert.Empty(listener.Sent);
        batch.TryAdd(from.Socket, Datagram(3), to.Address, 3);

        Assert.Equal(0, batch.Count);
        Assert.Equal([1, 2, 3], listener.Sent);
        Assert.Equal(Datagram(1), to.Receive());
        Assert.Equal(Datagram(2), to.Receive());
        Assert.Equal(Datagram(3), to.Receive());
    }

    [Fact]
    public void A_datagram_larger_than_a_slot_is_refused_and_nothing_is_queued()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        using var batch = new SendBatch(capacity: 3, slotBytes: 16);
        Assert.False(batch.TryAdd(from.Socket, new byte[17], to.Address));
        Assert.Equal(0, batch.Count);
        Assert.True(batch.TryAdd(from.Socket, new byte[16], to.Address));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Add(from.Socket, to.Address, 10, 7));
    }

    [Fact]
    public void The_plain_fallback_sends_the_same_datagrams()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        var listener = new RecordingListener();
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, new SendToSender(), listener);
        for (int i = 0; i < 5; i++)
        {
            batch.TryAdd(from.Socket, Datagram(i), to.Address, i);
        }

        batch.Flush();
        Assert.Equal([0, 1, 2, 3, 4], listener.Sent);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(Datagram(i), to.Receive());
        }
    }

    [Fact]
    public void Datagrams_for_different_sockets_go_out_in_one_call_per_run()
    {
        using var first = new LoopbackUdp();
        using var second = new LoopbackUdp();
        using var to = new LoopbackUdp();
        var sender = new ScriptedSender();
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, sender);
        batch.TryAdd(first.Socket, Datagram(0), to.Address);
        batch.TryAdd(first.Socket, Datagram(1), to.Address);
        batch.TryAdd(second.Socket, Datagram(2), to.Address);
        batch.TryAdd(first.Socket, Datagram(3), to.Address);
        batch.Flush();

        Assert.Equal([(0, 2), (2, 1), (3, 1)], sender.Calls);
        var sources = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            byte[] buffer = new byte[16];
            EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
            to.Socket.ReceiveFrom(buffer, ref remote);
            sources.Add(((IPEndPoint)remote).Port);
        }

        Assert.Equal([first.EndPoint.Port, first.EndPoint.Port, second.EndPoint.Port, first.EndPoint.Port], sources);
    }

    [Fact]
    public void A_partial_send_continues_with_the_rest()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        var listener = new RecordingListener();
        var sender = new ScriptedSender((_, _) => (2, 0), (_, _) => (1, 0));
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, sender, listener);
        for (int i = 0; i < 5; i++)
        {
            batch.TryAdd(from.Socket, Datagram(i), to.Address, i);
        }

        batch.Flush();
        Assert.Equal([(0, 5), (2, 3), (3, 2)], sender.Calls);
        Assert.Equal([0, 1, 2, 3, 4], listener.Sent);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(Datagram(i), to.Receive());
        }
    }

    [Fact]
    public void A_refused_datagram_is_dropped_and_the_rest_still_sent()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        var listener = new RecordingListener();
        const int ConnectionRefused = 111;
        var sender = new ScriptedSender((_, _) => (1, 0), (_, _) => (-1, ConnectionRefused));
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, sender, listener);
        for (int i = 0; i < 4; i++)
        {
            batch.TryAdd(from.Socket, Datagram(i), to.Address, i);
        }

        batch.Flush();
        Assert.Equal([(0, 4), (1, 3), (2, 2)], sender.Calls);
        Assert.Equal([0, 2, 3], listener.Sent);
        Assert.Equal([(1, ConnectionRefused)], listener.Dropped);
        Assert.Equal(Datagram(0), to.Receive());
        Assert.Equal(Datagram(2), to.Receive());
        Assert.Equal(Datagram(3), to.Receive());
    }

    [Fact]
    public void An_interrupted_send_is_tried_again()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        var listener = new RecordingListener();
        var sender = new ScriptedSender((_, _) => (-1, BatchSender.Interrupted));
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, sender, listener);
        batch.TryAdd(from.Socket, Datagram(0), to.Address, 0);
        batch.TryAdd(from.Socket, Datagram(1), to.Address, 1);
        batch.Flush();
        Assert.Equal([(0, 2), (0, 2)], sender.Calls);
        Assert.Equal([0, 1], listener.Sent);
        Assert.Empty(listener.Dropped);
    }

    [Fact]
    public void A_full_send_buffer_drops_the_rest_of_the_run_but_not_other_sockets_runs()
    {
        using var first = new LoopbackUdp();
        using var second = new LoopbackUdp();
        using var to = new LoopbackUdp();
        var listener = new RecordingListener();
        var sender = new ScriptedSender((_, _) => (1, 0), (_, _) => (-1, BatchSender.WouldBlock));
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, sender, listener);
        for (int i = 0; i < 3; i++)
        {
            batch.TryAdd(first.Socket, Datagram(i), to.Address, i);
        }

        batch.TryAdd(second.Socket, Datagram(3), to.Address, 3);
        batch.Flush();
        Assert.Equal([0, 3], listener.Sent);
        Assert.Equal([(1, BatchSender.WouldBlock), (2, BatchSender.WouldBlock)], listener.Dropped);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void A_closed_socket_drops_its_datagrams_without_throwing()
    {
        using var to = new LoopbackUdp();
        var closed = new LoopbackUdp();
        var listener = new RecordingListener();
        using var batch = new SendBatch(capacity: 8, slotBytes: 64, listener: listener);
        batch.TryAdd(closed.Socket, Datagram(0), to.Address, 0);
        batch.TryAdd(closed.Socket, Datagram(1), to.Address, 1);
        closed.Dispose();
        batch.Flush();
        Assert.Empty(listener.Sent);
        Assert.Equal([(0, 0), (1, 0)], listener.Dropped);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Queuing_and_flushing_allocate_nothing_once_warm()
    {
        using var from = new LoopbackUdp();
        using var to = new LoopbackUdp();
        to.Socket.ReceiveBufferSize = 1 << 20;
        using var batch = new SendBatch(capacity: 16, slotBytes: 256);
        byte[] datagram = new byte[200];
        SocketAddress destination = to.Address;
        for (int round = 0; round < 3; round++)
        {
            batch.TryAdd(from.Socket, datagram, destination);
            batch.Flush();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < 10; i++)
            {
                batch.TryAdd(from.Socket, datagram, destination);
            }

            batch.Flush();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotNull(to.Receive());
    }
}
