using System.Buffers;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn;

/// <summary>
/// A TCP connection between a TCP allocation's relayed address and a peer (RFC 6062 §2): made by a Connect request
/// or accepted from the peer, named by a CONNECTION-ID, and once the client binds a data connection to it
/// (ConnectionBind) a plain byte pipe between the two. Unbound connections are closed after 30 s.
/// </summary>
internal sealed class TcpRelayConnection
{
    public static readonly TimeSpan BindTimeout = TimeSpan.FromSeconds(30);
    private const int CopyBufferBytes = 16 * 1024;

    private readonly TurnCounters _counters;
    private readonly CancellationTokenSource _closing = new();
    private int _state; // 0 waiting for ConnectionBind, 1 bound, 2 closed

    public TcpRelayConnection(uint id, Allocation allocation, Socket peerSocket, TransportAddress peer, long bindDeadline,
        TurnCounters counters)
    {
        Id = id;
        Allocation = allocation;
        PeerSocket = peerSocket;
        Peer = peer;
        BindDeadline = bindDeadline;
        _counters = counters;
    }

    public uint Id { get; }

    public Allocation Allocation { get; }

    public Socket PeerSocket { get; }

    public TransportAddress Peer { get; }

    /// <summary>Unix milliseconds by which a ConnectionBind must have come.</summary>
    public long BindDeadline { get; }

    public bool IsBound => Volatile.Read(ref _state) == 1;

    public bool IsClosed => Volatile.Read(ref _state) == 2;

    /// <summary>Claims the connection for a data connection; false when it is bound already or closed.</summary>
    public bool TryBind() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

    /// <summary>Relays bytes both ways between the client's data connection and the peer until either side
    /// closes; <paramref name="pending"/> are bytes the client sent right after ConnectionBind.</summary>
    public async Task PipeAsync(Stream client, ReadOnlyMemory<byte> pending, CancellationToken cancellation)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _closing.Token);
        try
        {
            if (!pending.IsEmpty)
            {
                await PeerSocket.SendAsync(pending, SocketFlags.None, linked.Token);
                Count(outbound: true, pending.Length);
            }

            Task up = CopyToPeerAsync(client, linked.Token);
            Task down = CopyToClientAsync(client, linked.Token);
            await Task.WhenAny(up, down);
            await linked.CancelAsync();
            await Task.WhenAll(Quietly(up), Quietly(down));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // one side went away
        }
        finally
        {
            Close();
        }
    }

    private async Task CopyToPeerAsync(Stream client, CancellationToken cancellation)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await client.ReadAsync(buffer, cancellation)) > 0)
            {
                await PeerSocket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellation);
                Count(outbound: true, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task CopyToClientAsync(Stream client, CancellationToken cancellation)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            int read;
            while ((read = await PeerSocket.ReceiveAsync(buffer, SocketFlags.None, cancellation)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, read), cancellation);
                Count(outbound: false, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Count(bool outbound, int bytes)
    {
        if (outbound)
        {
            _counters.RelayedOut(bytes);
        }
        else
        {
            _counters.RelayedIn(bytes);
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // the pipe is ending
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        _closing.Cancel();
        PeerSocket.Dispose();
    }
}
