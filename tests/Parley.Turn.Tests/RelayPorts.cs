using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Parley.Turn.Tests;

/// <summary>
/// A block of UDP ports for one test server's relay range (Turn:MinPort-MaxPort), free on 127.0.0.1 and ::1 when
/// leased and outside the kernel's ephemeral range, so that neither the client sockets of parallel tests nor another
/// test server take its ports. Blocks go back to the pool when the lease is disposed.
/// </summary>
internal sealed class RelayPorts : IDisposable
{
    public const int BlockSize = 40;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Leased = [];
    private static readonly (int First, int Last) Window = ChooseWindow();

    private RelayPorts(int min)
    {
        Min = min;
    }

    public int Min { get; }

    public int Max => Min + BlockSize - 1;

    public bool Contains(int port) => port >= Min && port <= Max;

    public static RelayPorts Lease()
    {
        int blocks = (Window.Last - Window.First + 1) / BlockSize;
        int start = Random.Shared.Next(blocks);
        for (int i = 0; i < blocks; i++)
        {
            int min = Window.First + (((start + i) % blocks) * BlockSize);
            lock (Gate)
            {
                if (Leased.Contains(min) || !AllFree(min))
                {
                    continue;
                }

                Leased.Add(min);
                return new RelayPorts(min);
            }
        }

        throw new InvalidOperationException($"No free block of {BlockSize} UDP ports in {Window.First}-{Window.Last}.");
    }

    public void Dispose()
    {
        lock (Gate)
        {
            Leased.Remove(Min);
        }
    }

    private static bool AllFree(int min)
    {
        for (int port = min; port < min + BlockSize; port++)
        {
            if (!IsUdpPortFree(port) || (Socket.OSSupportsIPv6 && !IsUdpPortFree(port, IPAddress.IPv6Loopback)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a UDP socket can bind the port now (on loopback unless <paramref name="ip"/> says).</summary>
    internal static bool IsUdpPortFree(int port, IPAddress? ip = null)
    {
        ip ??= IPAddress.Loopback;
        using var socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(ip, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Above the ephemeral range when there is room there (Linux: 32768-60999), else below it.</summary>
    private static (int First, int Last) ChooseWindow()
    {
        int low = 32768, high = 60999;
        try
        {
            string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range")
                .Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            low = int.Parse(range[0], CultureInfo.InvariantCulture);
            high = int.Parse(range[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // not Linux: keep the Linux default
        }

        return 65535 - high >= 20 * BlockSize ? (high + 1, 65535) : (Math.Max(1024, low - (100 * BlockSize)), low - 1);
    }
}
