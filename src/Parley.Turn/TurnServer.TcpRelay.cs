using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.StunServer;

namespace Parley.Turn;

/// <summary>TCP allocations (RFC 6062): Connect (§5.2), ConnectionBind (§5.4) and the connections they name.</summary>
public sealed partial class TurnServer
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<uint, TcpRelayConnection> _tcpConnections = new();

    /// <summary>TCP connections to peers held now, bound or waiting for ConnectionBind.</summary>
    public int TcpConnectionCount => _tcpConnections.Count;

    internal TcpRelayConnection RegisterTcpConnection(Allocation allocation, Socket peerSocket, TransportAddress peer)
    {
        long deadline = (_time.GetUtcNow() + TcpRelayConnection.BindTimeout).ToUnixTimeMilliseconds();
        while (true)
        {
            uint id = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);
            var connection = new TcpRelayConnection(id, allocation, peerSocket, peer, deadline, Counters);
            if (_tcpConnections.TryAdd(id, connection))
            {
                allocation.Track(connection);
                return connection;
            }
        }
    }

    private void Forget(TcpRelayConnection connection)
    {
        connection.Close();
        _tcpConnections.TryRemove(connection.Id, out _);
        connection.Allocation.Forget(connection);
    }

    /// <summary>Closes connections nobody bound in time, and forgets closed ones.</summary>
    private void SweepTcpConnections(long now)
    {
        foreach (TcpRelayConnection connection in _tcpConnections.Values)
        {
            if (connection.IsClosed || connection.Allocation.IsClosed || (!connection.IsBound && connection.BindDeadline <= now))
            {
                Forget(connection);
            }
        }
    }

    /// <summary>Connect: the server opens a TCP connection from the relayed address to the peer and answers once it
    /// is up (with its CONNECTION-ID) or has failed (447). Answered later, so this returns 0.</summary>
    private int Connect(in StunMessage request, TurnCredential credential, Allocation? allocation, ReplyTarget reply,
        byte[] response)
    {
        if (allocation is null)
        {
            return Error(response, request, StunErrorCodes.AllocationMismatch, credential);
        }

        if (!allocation.IsTcp || !request.TryGet(out XorPeerAddress peerAttribute))
        {
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        TransportAddress peer = peerAttribute.Address;
        if (allocation.RelayFor(peer.Family) is not { } relay)
        {
            return Error(response, request, StunErrorCodes.PeerAddressFamilyMismatch, credential);
        }

        if (!Policy.IsAllowed(peer))
        {
            return Error(response, request, StunErrorCodes.Forbidden, credential);
        }

        if (allocation.HasTcpConnectionTo(peer))
        {
            return Error(response, request, StunErrorCodes.ConnectionAlreadyExists, credential);
        }

        allocation.InstallPermission(peer, (_time.GetUtcNow() + PermissionLifetime).ToUnixTimeMilliseconds());
        _ = ConnectAsync(allocation, relay, peer, request.TransactionId, credential, reply);
        return 0;
    }

    private async Task ConnectAsync(Allocation allocation, RelayEndpoint relay, TransportAddress peer, TransactionId id,
        TurnCredential credential, ReplyTarget reply)
    {
        Socket? socket = null;
        TcpRelayConnection? connection = null;
        try
        {
            socket = RelayPortPool.CreateTcpConnectSocket((IPEndPoint)relay.Socket.LocalEndPoint!);
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            await socket.ConnectAsync(peer.ToIPEndPoint(), timeout.Token);
            connection = RegisterTcpConnection(allocation, socket, peer);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket?.Dispose();
        }

        byte[] response = new byte[MaxResponseLength];
        int length;
        if (connection is null)
        {
            length = WriteError(response, StunMethod.Connect, id, StunErrorCodes.ConnectionTimeoutOrFailure, credential, default).Length;
        }
        else
        {
            var builder = new StunMessageBuilder(response, StunMessageType.ConnectSuccess, id);
            builder.Add(new ConnectionId(connection.Id));
            length = Sign(ref builder, credential);
        }

        if (!allocation.IsClosed)
        {
            reply.Send(response.AsSpan(0, length));
        }
    }

    /// <summary>ConnectionBind, on a new TCP or TLS connection from the client: that connection becomes the data
    /// connection of the named peer connection, a raw pipe from the answer on.</summary>
    private int ConnectionBind(in StunMessage request, TurnCredential credential, ReplyTarget reply, byte[] response)
    {
        if (reply.Connection is not { } dataConnection || dataConnection.State is not null
            || !request.TryGet(out ConnectionId id)
            || !_tcpConnections.TryGetValue(id.Value, out TcpRelayConnection? connection)
            || connection.Allocation.IsClosed)
        {
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        if (connection.Allocation.Credential.Username != credential.Username)
        {
            return Error(response, request, StunErrorCodes.WrongCredentials, credential);
        }

        if (!connection.TryBind())
        {
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        var builder = new StunMessageBuilder(response, StunMessageType.ConnectionBindSuccess, request.TransactionId);
        int length = Sign(ref builder, credential);
        dataConnection.Send(response.AsSpan(0, length));
        dataConnection.State = connection;
        dataConnection.RawHandler = connection.PipeAsync;
        return 0;
    }

    private void CloseDataConnection(StunStreamConnection connection)
    {
        if (connection.State is TcpRelayConnection relayed)
        {
            Forget(relayed);
        }
    }
}
