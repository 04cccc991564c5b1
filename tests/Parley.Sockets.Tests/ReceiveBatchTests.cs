using System.Net;
using System.Net.Sockets;

namespace Parley.Sockets.Tests;

public sealed class ReceiveBatchTests
{
    private static int Fd(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    [LinuxFact]
    public void Takes_the_waiting_datagrams_with_their_senders_in_one_call()
    {
        using var port = new LoopbackUdp();
        using var a = new LoopbackUdp();
        using var b = new LoopbackUdp();
        for (int i = 0; i < 5; i++)
        {
            (i % 2 == 0 ? a : b).Socket.SendTo(new byte[] { (byte)i, 9, 9 }[..(1 + (i % 3))], port.EndPoint);
        }

        Assert.True(ReceiveBatch.WaitReadable(Fd(port.Socket), 2000));
        using var batch = new ReceiveBatch(capacity: 8, slotBytes: 64);
        int received = batch.Receive(Fd(port.Socket), out int error);

        Assert.Equal(0, error);
        Assert.Equal(5, received);
        var source = new SocketAddress(AddressFamily.InterNetwork);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(1 + (i % 3), batch.LengthAt(i));
            Assert.Equal((byte)i, batch.DatagramAt(i).Span[0]);
            batch.SourceAt(i, source);
            Assert.Equal((i % 2 == 0 ? a : b).EndPoint, new IPEndPoint(IPAddress.Any, 0).Create(source));
        }

        Assert.Equal(0, batch.Receive(Fd(port.Socket), out error));
        Assert.Equal(0, error);
    }

    [LinuxFact]
    public void Takes_at_most_its_capacity_and_leaves_the_rest_waiting()
    {
        using var port = new LoopbackUdp();
        using var peer = new LoopbackUdp();
        for (int i = 0; i < 5; i++)
        {
            peer.Socket.SendTo(new[] { (byte)i }, port.EndPoint);
        }

        Assert.True(ReceiveBatch.WaitReadable(Fd(port.Socket), 2000));
        using var batch = new ReceiveBatch(capacity: 3, slotBytes: 64);
        Assert.Equal(3, batch.Receive(Fd(port.Socket), out _));
        Assert.Equal(2, batch.Receive(Fd(port.Socket), out _));
        Assert.Equal(3, batch.DatagramAt(0).Span[0]);
        Assert.Equal(4, batch.DatagramAt(1).Span[0]);
    }

    [LinuxFact]
    public void A_datagram_larger_than_its_slot_is_marked_and_the_next_still_read()
    {
        using var port = new LoopbackUdp();
        using var peer = new LoopbackUdp();
        peer.Socket.SendTo(new byte[100], port.EndPoint);
        peer.Socket.SendTo(new byte[] { 1, 2 }, port.EndPoint);

        Assert.True(ReceiveBatch.WaitReadable(Fd(port.Socket), 2000));
        using var batch = new ReceiveBatch(capacity: 4, slotBytes: 64);
        int received = batch.Receive(Fd(port.Socket), out _);
        if (received == 1)
        {
            received += batch.Receive(Fd(port.Socket), out _); // the second had not arrived yet
            Assert.Equal(2, batch.LengthAt(0));
            return;
        }

        Assert.Equal(2, received);
        Assert.Equal(-1, batch.LengthAt(0));
        Assert.Equal(0, batch.DatagramAt(0).Length);
        Assert.Equal(2, batch.LengthAt(1));
    }

    [LinuxFact]
    public void Waiting_on_an_empty_socket_times_out()
    {
        using var port = new LoopbackUdp();
        Assert.False(ReceiveBatch.WaitReadable(Fd(port.Socket), 50));
    }

    [LinuxFact]
    public void Receiving_allocates_nothing_once_warm()
    {
        using var port = new LoopbackUdp();
        using var peer = new LoopbackUdp();
        using var batch = new ReceiveBatch(capacity: 8, slotBytes: 64);
        var source = new SocketAddress(AddressFamily.InterNetwork);
        int fd = Fd(port.Socket);
        batch.Receive(fd, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int round = 0; round < 100; round++)
        {
            total += batch.Receive(fd, out _);
            for (int i = 0; i < batch.Count; i++)
            {
                batch.SourceAt(i, source);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, total);
    }
}
