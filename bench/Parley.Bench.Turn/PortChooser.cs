using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;

namespace Parley.Bench.Turn;

/// <summary>
/// Chooses the ports the servers get: single ports by binding to port 0 on loopback, held until disposed so that no
/// two are the same; relay ranges among ports outside the kernel's ephemeral range (so that no socket the
/// benchmark or anyone opens meanwhile is given one), checked free one by one and never overlapping each other.
/// </summary>
internal sealed class PortChooser : IDisposable
{
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int LowestRelayPort = 10_000;

    private readonly List<Socket> _held = [];
    private readonly List<PortRange> _ranges = [];
    private readonly Random _random = new();

    public int Udp() => Hold(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));

    public int Tcp() => Hold(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    /// <summary>
    /// <paramref name="count"/> consecutive UDP ports that are free on every address, below the ephemeral range
    /// when they fit there, overlapping no range chosen before.
    /// </summary>
    public PortRange RelayRange(int count)
    {
        PortRange ephemeral = ReadEphemeralRange();
        int top = ephemeral.Min - count > LowestRelayPort ? ephemeral.Min - 1 : ushort.MaxValue;
        int slots = (top - LowestRelayPort + 1) / count;
        int first = _random.Next(slots); // a random start, so that two runs side by side do not collide every time
        for (int i = 0; i < slots; i++)
        {
            int min = LowestRelayPort + ((first + i) % slots * count);
            var range = new PortRange(min, min + count - 1);
            if (!_ranges.Any(range.Overlaps) && !(top == ushort.MaxValue && range.Overlaps(ephemeral)) && IsFree(range))
            {
                _ranges.Add(range);
                return range;
            }
        }

        throw new BenchmarkException($"no {count} consecutive free UDP ports from {LowestRelayPort} to {top}");
    }

    public void Dispose()
    {
        foreach (Socket socket in _held)
        {
            socket.Dispose();
        }

        _held.Clear();
    }

    private int Hold(Socket socket)
    {
        _held.Add(socket);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Every port of the range can be bound on 0.0.0.0, which fails when anything holds it on any address.</summary>
    private bool IsFree(PortRange range)
    {
        for (int port = range.Min; port <= range.Max; port++)
        {
            if (_held.Any(s => ((IPEndPoint)s.LocalEndPoint!).Port == port))
            {
                return false;
            }

            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Any, port));
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }

    private static PortRange ReadEphemeralRange()
    {
        try
        {
            string[] bounds = File.ReadAllText(EphemeralRangeFile).Split((char[])['\t', ' ', '\n'],
                StringSplitOptions.RemoveEmptyEntries);
            return new PortRange(int.Parse(bounds[0], CultureInfo.InvariantCulture),
                int.Parse(bounds[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return new PortRange(32768, 60999); // Linux's default
        }
    }
}
