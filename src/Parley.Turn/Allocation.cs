using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Sockets;

namespace Parley.Turn;

/// <summary>
/// One TURN allocation (RFC 8656 §2.2): the client's 5-tuple, its credential, one or two relayed transport addresses,
/// the lifetime, the permissions (by peer IP) and the channel bindings. Peers' datagrams are received on a loop per
/// relay socket and go to the client as ChannelData when a channel is bound, or as Data indications; nothing is
/// allocated per datagram on either path. Requests change the tables under a lock; the packet paths read them
/// without one.
/// </summary>
internal sealed class Allocation
{
    /// <summary>Room before a received datagram for the largest Data indication header (IPv6 peer).</summary>
    private const int Headroom = StunMessage.HeaderLength + 4 + 20 + 4;

    /// <summary>Headroom, the largest payload plus one byte (to tell a datagram that was cut), and padding.</summary>
    internal const int ReceiveBufferBytes = Headroom + MaxRelayedPayload + 1 + 4;

    /// <summary>Datagrams taken from one socket per wake-up before the poller serves the others.</summary>
    private const int MaxDrainedPerWake = 64;

    /// <summary>The largest datagram relayed from a peer: far above any path MTU, and small enough that a receive
    /// buffer per allocation stays cheap. A datagram that fills the buffer may have been cut, and is dropped.</summary>
    internal const int MaxRelayedPayload = 16 * 1024;

    [ThreadStatic]
    private static SocketAddress? s_peerV4;

    [ThreadStatic]
    private static SocketAddress? s_peerV6;

    private readonly TurnServer _server;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<TransportAddress, Permission> _permissions = new();
    private readonly ConcurrentDictionary<ushort, ChannelBinding> _channelsByNumber = new();
    private readonly ConcurrentDictionary<TransportAddress, ChannelBinding> _channelsByPeer = new();
    private readonly BandwidthLimiter? _limiter;
    private readonly CancellationTokenSource _closing = new();
    private long _expiresAt;
    private int _closed;

    private readonly ConcurrentDictionary<uint, TcpRelayConnection> _tcpConnections = new();
    private readonly List<ulong> _pollerRegistrations = [];

    public Allocation(TurnServer server, ITurnClientLink client, TransportAddress serverAddress,
        TurnCredential credential, TransactionId createdBy, RelayEndpoint[] relays, long expiresAt, long maxBps,
        bool isTcp = false)
    {
        IsTcp = isTcp;
        _server = server;
        Client = client;
        ServerAddress = serverAddress;
        Credential = credential;
        CreatedBy = createdBy;
        Relays = relays;
        _expiresAt = expiresAt;
        _limiter = maxBps > 0 ? new BandwidthLimiter(maxBps) : null;
    }

    public ITurnClientLink Client { get; }

    /// <summary>An RFC 6062 TCP allocation: its relay is a listening TCP socket, its peers' data goes over
    /// <see cref="TcpRelayConnection"/>s, and Send, ChannelBind and ChannelData do not apply.</summary>
    public bool IsTcp { get; }

    public TransportAddress ServerAddress { get; }

    public TurnCredential Credential { get; private set; }

    /// <summary>The Allocate transaction that made it: a retransmission of it is answered again, not refused.</summary>
    public TransactionId CreatedBy { get; }

    public RelayEndpoint[] Relays { get; }

    public long ExpiresAt => Interlocked.Read(ref _expiresAt);

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public int PermissionCount => _permissions.Count;

    public int ChannelCount => _channelsByNumber.Count;

    public void Start()
    {
        foreach (RelayEndpoint relay in Relays)
        {
            if (IsTcp)
            {
                _ = Task.Run(() => AcceptLoopAsync(relay));
            }
            else if (_server.Poller is { } poller)
            {
                lock (_gate)
                {
                    if (IsClosed)
                    {
                        return; // deleted before it started (Close removes registrations under this lock)
                    }

                    _pollerRegistrations.Add(poller.Add(this, relay));
                }
            }
            else
            {
                _ = Task.Run(() => ReceiveLoopAsync(relay));
            }
        }
    }

    /// <summary>Whether the allocation has a TCP connection to this peer already (Connect then gets 446).</summary>
    public bool HasTcpConnectionTo(in TransportAddress peer)
    {
        foreach (TcpRelayConnection connection in _tcpConnections.Values)
        {
            if (connection.Peer == peer && !connection.IsClosed)
            {
                return true;
            }
        }

        return false;
    }

    public void Track(TcpRelayConnection connection) => _tcpConnections[connection.Id] = connection;

    public void Forget(TcpRelayConnection connection) => _tcpConnections.TryRemove(connection.Id, out _);

    /// <summary>Peers connecting to a TCP allocation's relayed address (RFC 6062 §5.3): accepted when a permission
    /// lets them in, and announced to the client with a ConnectionAttempt indication.</summary>
    private async Task AcceptLoopAsync(RelayEndpoint relay)
    {
        CancellationToken closing = _closing.Token;
        while (!closing.IsCancellationRequested)
        {
            Socket peerSocket;
            try
            {
                peerSocket = await relay.Socket.AcceptAsync(closing);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            try
            {
                var peer = TransportAddress.FromIPEndPoint((IPEndPoint)peerSocket.RemoteEndPoint!);
                if (!IsPeerPermitted(peer))
                {
                    _server.Counters.Dropped();
                    peerSocket.Dispose();
                    continue;
                }

                TcpRelayConnection connection = _server.RegisterTcpConnection(this, peerSocket, peer);
                byte[] indication = new byte[StunMessage.HeaderLength + 24 + 8 + 8];
                var builder = new StunMessageBuilder(indication, StunMessageType.ConnectionAttemptIndication,
                    TransactionId.NewRandom());
                builder.Add(new XorPeerAddress(peer));
                builder.Add(new ConnectionId(connection.Id));
                builder.AddFingerprint();
                Client.Send(indication.AsSpan(0, builder.Length));
            }
            catch (Exception e)
            {
                peerSocket.Dispose();
                TurnLog.RelayFailed(_server.Logger, e, Client.Remote.ToString());
            }
        }
    }

    public void Refresh(long expiresAt, TurnCredential credential)
    {
        Interlocked.Exchange(ref _expiresAt, expiresAt);
        Credential = credential;
    }

    /// <summary>The relay of a family; a plain loop, as a lambda capturing the family would allocate a closure and a
    /// delegate on every packet to a peer.</summary>
    public RelayEndpoint? RelayFor(AddressFamily family)
    {
        foreach (RelayEndpoint relay in Relays)
        {
            if (relay.Family == family)
            {
                return relay;
            }
        }

        return null;
    }

    /// <summary>Whether datagrams may pass to and from this peer: a permission for its address, and the address
    /// policy, checked once when the permission was made unless only some ports of the address are allowed.</summary>
    public bool IsPeerPermitted(in TransportAddress peer) =>
        _permissions.TryGetValue(peer.WithPort(0), out Permission permission)
        && (permission.AnyPort || _server.Policy.IsAllowed(peer));

    /// <summary>Installs or refreshes a permission for the peer's IP address (RFC 8656 §9).</summary>
    public void InstallPermission(in TransportAddress peer, long expiresAt)
    {
        bool added = false;
        var permission = new Permission(expiresAt, _server.Policy.IsAddressAllowed(peer));
        _permissions.AddOrUpdate(peer.WithPort(0), _ => { added = true; return permission; }, (_, _) => permission);
        if (added)
        {
            Interlocked.Increment(ref _server.Counters.PermissionsCreatedField);
        }
    }

    /// <summary>
    /// Binds a channel to a peer, or refreshes the binding (RFC 8656 §11.2): false when the number is bound to
    /// another peer or the peer to another number.
    /// </summary>
    public bool TryBindChannel(ushort number, in TransportAddress peer, long expiresAt)
    {
        lock (_gate)
        {
            bool numberBound = _channelsByNumber.TryGetValue(number, out ChannelBinding? byNumber);
            bool peerBound = _channelsByPeer.TryGetValue(peer, out ChannelBinding? byPeer);
            if ((numberBound && byNumber!.Peer != peer) || (peerBound && byPeer!.Number != number))
            {
                return false;
            }

            if (byNumber is null)
            {
                byNumber = new ChannelBinding(number, peer);
                _channelsByNumber[number] = byNumber;
                _channelsByPeer[peer] = byNumber;
                Interlocked.Increment(ref _server.Counters.ChannelsBoundField);
            }

            byNumber.ExpiresAt = expiresAt;
            return true;
        }
    }

    /// <summary>Drops permissions and channels whose time is up.</summary>
    public void Sweep(long now)
    {
        foreach ((TransportAddress peer, Permission permission) in _permissions)
        {
            if (permission.ExpiresAt <= now)
            {
                _permissions.TryRemove(peer, out _);
            }
        }

        lock (_gate)
        {
            foreach ((ushort number, ChannelBinding binding) in _channelsByNumber)
            {
                if (binding.ExpiresAt <= now)
                {
                    _channelsByNumber.TryRemove(number, out _);
                    _channelsByPeer.TryRemove(binding.Peer, out _);
                }
            }
        }
    }

    /// <summary>A Send indication's data to a peer (RFC 8656 §10.2): dropped without a permission.</summary>
    public void SendToPeer(in TransportAddress peer, ReadOnlySpan<byte> data)
    {
        if (!IsPeerPermitted(peer) || RelayFor(peer.Family) is not { } relay)
        {
            _server.Counters.Dropped();
            return;
        }

        SocketAddress address = peer.IsIPv4
            ? s_peerV4 ??= new SocketAddress(AddressFamily.InterNetwork)
            : s_peerV6 ??= new SocketAddress(AddressFamily.InterNetworkV6);
        peer.WriteTo(address);
        Relay(relay, data, address);
    }

    /// <summary>ChannelData from the client (RFC 8656 §12.6): dropped when the channel is not bound.</summary>
    public void SendOnChannel(ushort number, ReadOnlySpan<byte> data)
    {
        if (!_channelsByNumber.TryGetValue(number, out ChannelBinding? binding)
            || !IsPeerPermitted(binding.Peer)
            || RelayFor(binding.Peer.Family) is not { } relay)
        {
            _server.Counters.Dropped();
            return;
        }

        Relay(relay, data, binding.PeerSocketAddress);
    }

    private void Relay(RelayEndpoint relay, ReadOnlySpan<byte> data, SocketAddress peer)
    {
        if (_limiter is not null && !_limiter.TryConsume(data.Length))
        {
            _server.Counters.Dropped();
            return;
        }

        if (NativeUdp.SendTo(relay.Socket, data, peer, out _))
        {
            _server.Counters.RelayedOut(data.Length);
        }
        else
        {
            _server.Counters.Dropped(); // a full buffer, an ICMP error, or closed meanwhile
        }
    }

    /// <summary>Takes the datagrams waiting on a relay socket, for <see cref="RelayPoller"/> (Linux).</summary>
    internal void Drain(RelayEndpoint relay, int fd, SendBatch batch, SocketAddress peerAddress)
    {
        // Holding a reference keeps the descriptor open (so not reused by another socket) even if the allocation
        // closes its socket meanwhile.
        bool referenced = false;
        try
        {
            relay.Socket.SafeHandle.DangerousAddRef(ref referenced);
            DrainReferenced(fd, batch, peerAddress);
        }
        catch (ObjectDisposedException)
        {
            // closed before we got to it
        }
        finally
        {
            if (referenced)
            {
                relay.Socket.SafeHandle.DangerousRelease();
            }
        }
    }

    private void DrainReferenced(int fd, SendBatch batch, SocketAddress peerAddress)
    {
        for (int i = 0; i < MaxDrainedPerWake && !IsClosed; i++)
        {
            byte[] buffer = batch.Buffer;
            int received = NativeUdp.ReceiveFrom(fd, buffer.AsSpan(Headroom, MaxRelayedPayload + 1), peerAddress,
                out bool error);
            if (received < 0)
            {
                if (error)
                {
                    continue; // an ICMP error for an earlier send surfaces here; datagrams may follow it
                }

                return;
            }

            DeliverToClient(buffer, received, peerAddress, batch);
        }
    }

    private async Task ReceiveLoopAsync(RelayEndpoint relay)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferBytes, pinned: true);
        var peerAddress = new SocketAddress(relay.Family);
        CancellationToken closing = _closing.Token;
        while (!closing.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await relay.Socket.ReceiveFromAsync(buffer.AsMemory(Headroom, MaxRelayedPayload + 1),
                    SocketFlags.None, peerAddress, closing);
            }
            catch (SocketException)
            {
                continue; // an ICMP error for an earlier send surfaces here on Linux
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            try
            {
                DeliverToClient(buffer, received, peerAddress, batch: null);
            }
            catch (Exception e)
            {
                TurnLog.RelayFailed(_server.Logger, e, Client.Remote.ToString());
            }
        }
    }

    /// <summary>Frames a peer's datagram for the client (ChannelData on its channel, or a Data indication) in place
    /// in <paramref name="buffer"/>, and sends it, or with a <paramref name="batch"/> (whose current buffer this is)
    /// queues it for a UDP client.</summary>
    private void DeliverToClient(byte[] buffer, int received, SocketAddress peerAddress, SendBatch? batch)
    {
        if (received > MaxRelayedPayload || !TransportAddress.TryFromSocketAddress(peerAddress, out TransportAddress peer)
            || !IsPeerPermitted(peer)
            || (_limiter is not null && !_limiter.TryConsume(received)))
        {
            _server.Counters.Dropped();
            return;
        }

        bool sent;
        if (_channelsByPeer.TryGetValue(peer, out ChannelBinding? channel))
        {
            int start = Headroom - ChannelData.HeaderLength;
            int length = ChannelData.GetFramedLength(received, Client.IsStream);
            buffer.AsSpan(Headroom + received, length - ChannelData.HeaderLength - received).Clear();
            ChannelData.TryWriteHeader(buffer.AsSpan(start), channel.Number, received);
            if (batch is not null && Client is UdpClientLink udp)
            {
                batch.Add(udp.Socket, udp.Address, start, length, received);
                return; // counted when the batch goes out
            }

            sent = Client.SendDatagram(buffer.AsSpan(start, length));
        }
        else
        {
            // The Data indication's header and XOR-PEER-ADDRESS go right before the datagram, so that DATA's value
            // is written onto itself.
            int start = Headroom - (StunMessage.HeaderLength + 4 + new XorPeerAddress(peer).ValueLength + 4);
            var builder = new StunMessageBuilder(buffer.AsSpan(start), StunMessageType.DataIndication,
                TransactionId.NewRandom());
            builder.Add(new XorPeerAddress(peer));
            Data.WriteTo(ref builder, buffer.AsSpan(Headroom, received));
            if (batch is not null && Client is UdpClientLink udp)
            {
                batch.Add(udp.Socket, udp.Address, start, builder.Length, received);
                return;
            }

            sent = Client.SendDatagram(builder.Message);
        }

        if (sent)
        {
            _server.Counters.RelayedIn(received);
        }
    }

    /// <summary>Closes the relay sockets; returns false when it was already closed.</summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        _closing.Cancel();
        if (_server.Poller is { } poller)
        {
            lock (_gate)
            {
                foreach (ulong registration in _pollerRegistrations)
                {
                    poller.Remove(registration);
                }
            }
        }

        foreach (RelayEndpoint relay in Relays)
        {
            relay.Socket.Dispose();
        }

        foreach (TcpRelayConnection connection in _tcpConnections.Values)
        {
            connection.Close();
        }

        return true;
    }

    public override string ToString() =>
        $"{Client.Remote} via {string.Join(", ", Relays.Select(r => r.Announced))} ({Credential.Username})";

    /// <summary>A permission's expiry, and whether the address policy allows every port of its address (else each
    /// datagram is checked against the exempt endpoints).</summary>
    private readonly record struct Permission(long ExpiresAt, bool AnyPort);
}
