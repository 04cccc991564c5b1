using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;

namespace Parley.StunServer;

/// <summary>
/// Serves STUN over TCP (RFC 8489 §6.2.2): messages follow each other on the stream and each is answered on the
/// same connection. A connection that sends something other than STUN is closed; so is one that sends no whole
/// message within the idle timeout. Connections past the limit are closed at once.
/// </summary>
public sealed class TcpStunListener : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly BindingRequestHandler _handler;
    private readonly StunServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TransportAddress _local;
    private int _connections;
    private Task _acceptLoop = Task.CompletedTask;

    public TcpStunListener(Socket listener, BindingRequestHandler handler, StunServerOptions options, ILogger logger)
    {
        _listener = listener;
        _handler = handler;
        _options = options;
        _logger = logger;
        _local = TransportAddress.FromIPEndPoint((IPEndPoint)listener.LocalEndPoint!);
    }

    public TransportAddress LocalAddress => _local;

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    public void Start() => _acceptLoop = AcceptLoopAsync(_stopping.Token);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (Interlocked.Increment(ref _connections) > _options.MaxTcpConnections)
            {
                Interlocked.Decrement(ref _connections);
                StunServerLog.TcpLimit(_logger, _options.MaxTcpConnections, client.RemoteEndPoint);
                client.Dispose();
                continue;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stopping)
    {
        client.NoDelay = true;
        EndPoint? remote = client.RemoteEndPoint;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StunMessageBuilder.MaxMessageLength);
        byte[] response = ArrayPool<byte>.Shared.Rent(BindingRequestHandler.MaxResponseLength);
        string reason = "closed by peer";
        try
        {
            var context = new StunRequestContext(TransportAddress.FromIPEndPoint((IPEndPoint)remote!), StunTransport.Tcp, _local);
            int filled = 0;
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                idle.CancelAfter(_options.TcpIdleTimeout);
                filled = await ReceiveAtLeastAsync(client, buffer, filled, StunMessage.HeaderLength, idle.Token);
                if (filled < 0)
                {
                    return;
                }

                if (!StunFraming.TryGetMessageLength(buffer.AsSpan(0, StunMessage.HeaderLength), out int messageLength))
                {
                    reason = "not STUN";
                    return;
                }

                filled = await ReceiveAtLeastAsync(client, buffer, filled, messageLength, idle.Token);
                if (filled < 0)
                {
                    return;
                }

                int length = _handler.Handle(buffer.AsMemory(0, messageLength), context, response, out _);
                if (length > 0)
                {
                    await client.SendAsync(response.AsMemory(0, length), SocketFlags.None, stopping);
                }

                // Keep what followed the message for the next round.
                buffer.AsSpan(messageLength, filled - messageLength).CopyTo(buffer);
                filled -= messageLength;
            }
        }
        catch (OperationCanceledException)
        {
            reason = stopping.IsCancellationRequested ? "server stopping" : "idle timeout";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            reason = e.Message;
        }
        catch (Exception e)
        {
            reason = "error";
            StunServerLog.RequestFailed(_logger, e, remote?.ToString() ?? "?");
        }
        finally
        {
            StunServerLog.TcpClosed(_logger, remote, reason);
            client.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Reads until the buffer holds at least <paramref name="needed"/> bytes; -1 when the peer closes.</summary>
    private static async ValueTask<int> ReceiveAtLeastAsync(Socket client, byte[] buffer, int filled, int needed,
        CancellationToken cancellationToken)
    {
        while (filled < needed)
        {
            int read = await client.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return -1;
            }

            filled += read;
        }

        return filled;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        _stopping.Dispose();
    }
}
