using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Parley.Stun;

namespace Parley.StunServer;

/// <summary>
/// Serves STUN over TCP (RFC 8489 §6.2.2), or over TLS with a certificate (§6.2.3): messages follow each other on the stream and each is answered on the
/// same connection. A connection that sends something other than STUN is closed; so is one that sends no whole
/// message within the idle timeout. Connections past the limit are closed at once.
/// </summary>
public sealed class TcpStunListener : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly BindingRequestHandler _handler;
    private readonly IStunServerExtension? _extension;
    private readonly X509Certificate2? _certificate;
    private readonly StunServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TransportAddress _local;
    private int _connections;
    private Task _acceptLoop = Task.CompletedTask;

    /// <param name="extension">Takes what is not a Binding request (TURN); with it, the stream is framed as TURN
    /// frames it (STUN and ChannelData, RFC 8656 §12.5).</param>
    /// <param name="certificate">Serve TLS with this certificate; null for plain TCP.</param>
    public TcpStunListener(Socket listener, BindingRequestHandler handler, StunServerOptions options, ILogger logger,
        IStunServerExtension? extension = null, X509Certificate2? certificate = null)
    {
        _listener = listener;
        _handler = handler;
        _extension = extension;
        _certificate = certificate;
        _options = options;
        _logger = logger;
        _local = TransportAddress.FromIPEndPoint((IPEndPoint)listener.LocalEndPoint!);
    }

    public TransportAddress LocalAddress => _local;

    public bool IsTls => _certificate is not null;

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
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Stream stream = new NetworkStream(client, ownsSocket: true);
        StunStreamConnection? connection = null;
        Task writer = Task.CompletedTask;
        try
        {
            var source = TransportAddress.FromIPEndPoint((IPEndPoint)remote!);
            if (_certificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(closing.Token);
                handshake.CancelAfter(_options.TcpIdleTimeout);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate },
                    handshake.Token);
            }

            StunTransport transport = _certificate is null ? StunTransport.Tcp : StunTransport.Tls;
            var context = new StunRequestContext(source, transport, _local);
            connection = new StunStreamConnection(stream, source, _local, transport, closing);
            writer = connection.RunWriterAsync(closing.Token);
            int filled = 0;
            while (true)
            {
                // The idle timeout guards connections that hold nothing; one the extension holds state for (a TURN
                // allocation) lives as long as that state.
                using CancellationTokenSource? idle = connection.State is null
                    ? CancellationTokenSource.CreateLinkedTokenSource(closing.Token)
                    : null;
                idle?.CancelAfter(_options.TcpIdleTimeout);
                CancellationToken readCancellation = idle?.Token ?? closing.Token;
                int prefix = _extension is null ? StunMessage.HeaderLength : StunFraming.TurnFramePrefixLength;
                filled = await ReceiveAtLeastAsync(stream, buffer, filled, prefix, readCancellation);
                if (filled < 0)
                {
                    return;
                }

                int frameLength;
                bool framed = _extension is null
                    ? StunFraming.TryGetMessageLength(buffer.AsSpan(0, prefix), out frameLength)
                    : StunFraming.TryGetTurnFrameLength(buffer.AsSpan(0, prefix), out frameLength);
                if (!framed)
                {
                    reason = "not STUN";
                    return;
                }

                filled = await ReceiveAtLeastAsync(stream, buffer, filled, frameLength, readCancellation);
                if (filled < 0)
                {
                    return;
                }

                ReadOnlyMemory<byte> frame = buffer.AsMemory(0, frameLength);
                if (_extension is not null && IStunServerExtension.Claims(frame.Span))
                {
                    _extension.HandleFrame(frame, connection);
                    if (connection.RawHandler is { } raw)
                    {
                        reason = "raw pipe ended";
                        connection.StopWriter();
                        await writer; // what was queued (the answer that made this a pipe) goes out first
                        await raw(stream, buffer.AsMemory(frameLength, filled - frameLength), closing.Token);
                        return;
                    }
                }
                else
                {
                    int length = _handler.Handle(frame, context, response, out _);
                    if (length > 0 && !connection.Send(response.AsSpan(0, length)))
                    {
                        return;
                    }
                }

                // Keep what followed the frame for the next round.
                buffer.AsSpan(frameLength, filled - frameLength).CopyTo(buffer);
                filled -= frameLength;
            }
        }
        catch (OperationCanceledException)
        {
            reason = stopping.IsCancellationRequested ? "server stopping"
                : closing.IsCancellationRequested ? "closed by the server" : "idle timeout";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException
            or System.Security.Authentication.AuthenticationException)
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
            connection?.Close();
            await writer;
            await stream.DisposeAsync();
            if (connection is not null && _extension is not null)
            {
                try
                {
                    _extension.HandleClosed(connection);
                }
                catch (Exception e)
                {
                    StunServerLog.RequestFailed(_logger, e, remote?.ToString() ?? "?");
                }
            }

            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<byte>.Shared.Return(response);
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Reads until the buffer holds at least <paramref name="needed"/> bytes; -1 when the peer closes.</summary>
    private static async ValueTask<int> ReceiveAtLeastAsync(Stream stream, byte[] buffer, int filled, int needed,
        CancellationToken cancellationToken)
    {
        while (filled < needed)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
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
