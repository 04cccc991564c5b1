using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Bench.Sfu;

/// <summary>
/// The physical limit: a UDP relay with no crypto and no RTP processing, the naive server's syscall pattern (one
/// thread, one socket, a blocking receive, then one sendto per subscriber). "PUB" + publisher index registers the
/// sender as that publisher, "SUB" + index subscribes the sender to it; every other datagram from a publisher goes
/// to each of its subscribers. Run as <c>Parley.Bench.Sfu raw-relay IP PORT</c>; it reports its address like an
/// ASP.NET Core server does, so the benchmark's process handling applies.
/// </summary>
internal static class RawRelayServer
{
    public static readonly byte[] PublisherTag = "PUB\0"u8.ToArray();
    public static readonly byte[] SubscriberTag = "SUB\0"u8.ToArray();

    public static byte[] Registration(bool publisher, int publication)
    {
        byte[] datagram = new byte[8];
        (publisher ? PublisherTag : SubscriberTag).CopyTo(datagram, 0);
        BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(4), publication);
        return datagram;
    }

    public static int Run(string ip, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 4 << 20;
        socket.SendBufferSize = 4 << 20;
        socket.Bind(new IPEndPoint(IPAddress.Parse(ip), port));
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Now listening on: udp://{bound.Address}:{bound.Port}"));
        var byPublication = new Dictionary<int, List<SocketAddress>>();
        var byPublisher = new Dictionary<SocketAddress, List<SocketAddress>>();
        byte[] buffer = new byte[65536];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (true)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue; // an ICMP error from an earlier send
            }

            if (byPublisher.TryGetValue(from, out List<SocketAddress>? subscribers))
            {
                foreach (SocketAddress subscriber in subscribers)
                {
                    try
                    {
                        socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, subscriber);
                    }
                    catch (SocketException)
                    {
                        // A full buffer or a gone subscriber: dropped, as UDP does.
                    }
                }

                continue;
            }

            if (length == 8 && (buffer.AsSpan(0, 4).SequenceEqual(PublisherTag) || buffer.AsSpan(0, 4).SequenceEqual(SubscriberTag)))
            {
                int publication = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4));
                if (!byPublication.TryGetValue(publication, out List<SocketAddress>? list))
                {
                    list = [];
                    byPublication[publication] = list;
                }

                var copy = new SocketAddress(from.Family, from.Size);
                from.Buffer.CopyTo(copy.Buffer);
                if (buffer[0] == (byte)'P')
                {
                    byPublisher[copy] = list;
                }
                else
                {
                    list.Add(copy);
                }
            }
        }
    }
}
