using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// The peer every client talks to through its allocation: UDP sockets on 127.0.0.1, each served by a thread of its
/// own that sends every datagram straight back to where it came from (the client's relayed address). Before echoing
/// it checks that the datagram names a client and comes from that client's relayed address: a server that relayed
/// from another socket would break every real peer behind a NAT. Client i talks to socket i mod the number of
/// sockets. Blocking receives with a 100 ms timeout (so that the thread notices the end), into one buffer, with one
/// <see cref="SocketAddress"/> reused: nothing is allocated per packet.
/// </summary>
internal sealed class EchoPeer : IDisposable
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromMilliseconds(100);

    private readonly Socket[] _sockets;
    private readonly LoadCounters[] _counters;
    private readonly long[] _allocatedBytes;
    private readonly TransportAddress[] _addresses;
    private readonly List<Task> _threads = [];
    private TransportAddress[] _relayedByClient = [];
    private volatile bool _stopping;

    public EchoPeer(int socketCount)
    {
        _sockets = new Socket[socketCount];
        _counters = new LoadCounters[socketCount];
        _allocatedBytes = new long[socketCount];
        _addresses = new TransportAddress[socketCount];
        try
        {
            for (int i = 0; i < socketCount; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                _sockets[i] = socket;
                socket.ReceiveBufferSize = 4 * 1024 * 1024;
                socket.SendBufferSize = 4 * 1024 * 1024;
                socket.ReceiveTimeout = (int)IdleCheck.TotalMilliseconds;
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                _addresses[i] = TransportAddress.FromIPEndPoint((IPEndPoint)socket.LocalEndPoint!);
                _counters[i] = new LoadCounters();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The sockets' addresses, which clients bind their channels (or permissions) to.</summary>
    public IReadOnlyList<TransportAddress> Addresses => _addresses;

    /// <summary>Echoed datagrams (as Sent) and faults, one counter per socket.</summary>
    public IReadOnlyList<LoadCounters> Counters => _counters;

    /// <summary>The ports of the sockets, for the kernel's drop counters.</summary>
    public IEnumerable<int> Ports => Addresses.Select(a => (int)a.Port);

    /// <summary>Bytes the echo threads allocated while running: 0 when the packet path allocates nothing.</summary>
    public long AllocatedBytes => _allocatedBytes.Sum();

    public TransportAddress AddressFor(int client) => _addresses[client % _addresses.Length];

    /// <summary>Starts echoing, for clients whose relayed addresses are <paramref name="relayedByClient"/>.</summary>
    public void Start(IReadOnlyList<TransportAddress> relayedByClient)
    {
        _relayedByClient = [.. relayedByClient];
        for (int i = 0; i < _sockets.Length; i++)
        {
            int index = i;
            _threads.Add(DedicatedThread.Start($"echo peer {i}", () => Echo(index)));
        }
    }

    /// <summary>Stops the threads (within the idle check) and waits for them.</summary>
    public async Task StopAsync()
    {
        _stopping = true;
        await Task.WhenAll(_threads);
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (Socket? socket in _sockets)
        {
            socket?.Dispose();
        }
    }

    private void Echo(int index)
    {
        Socket socket = _sockets[index];
        LoadCounters counters = _counters[index];
        TransportAddress[] expected = _relayedByClient;
        byte[] buffer = new byte[65_536];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        while (!_stopping)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer.AsSpan(), SocketFlags.None, from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue; // idle for a while: look at the stop flag
            }

            if (length < RelayPayload.HeaderLength)
            {
                counters.AddFault(RelayFault.PeerUnknownPacket);
                continue;
            }

            int client = RelayPayload.ReadClient(buffer);
            if ((uint)client >= (uint)expected.Length)
            {
                counters.AddFault(RelayFault.PeerUnknownPacket);
                continue;
            }

            if (!TransportAddress.TryFromSocketAddress(from, out TransportAddress source) || source != expected[client])
            {
                counters.AddFault(RelayFault.PeerWrongSource);
                continue;
            }

            try
            {
                socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, from);
                counters.AddSent();
            }
            catch (SocketException)
            {
                counters.AddFault(RelayFault.SendFailed);
            }
        }

        _allocatedBytes[index] = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    }
}
