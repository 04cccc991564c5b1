using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.WebRtc.Ice;

namespace Parley.WebRtc.IceTcp;

/// <summary>
/// The passive ICE-TCP candidate (RFC 6544): a TCP listener on the media port's number whose connections are
/// candidate paths for the transports of the media server. At most <see cref="WebRtcServerOptions.MaxTcpConnections"/>
/// are open; one that brings no valid check within <see cref="WebRtcServerOptions.TcpCheckTimeout"/> is closed, and so
/// is a bound one whose peer stops checking for the consent timeout, or whose transport closes.
/// </summary>
internal sealed partial class IceTcpListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly WebRtcServer _server;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<IceTcpConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    internal IceTcpListener(Socket listening, WebRtcServer server, IceLiteResponder ice, Lock receiveGate, TimeProvider time, ILogger log)
    {
        _socket = listening;
        _server = server;
        Ice = ice;
        ReceiveGate = receiveGate;
        _time = time;
        _log = log;
        LocalEndPoint = (IPEndPoint)listening.LocalEndPoint!;
        _accepting = AcceptLoopAsync();
    }

    public IPEndPoint LocalEndPoint { get; }

    public int ConnectionCount => _connections.Count;

    internal IceLiteResponder Ice { get; }

    /// <summary>Taken around every packet handled, shared with the UDP port's receive loop.</summary>
    internal Lock ReceiveGate { get; }

    internal long Now => _server.Now;

    /// <summary>The connections bound to <paramref name="transport"/>.</summary>
    public IEnumerable<IceTcpConnection> ConnectionsOf(WebRtcTransport transport) =>
        _connections.Keys.Where(c => ReferenceEquals(c.Transport, transport));

    /// <summary>Closes the connections of a transport that is closing.</summary>
    public void CloseConnectionsOf(WebRtcTransport transport)
    {
        foreach (IceTcpConnection connection in _connections.Keys)
        {
            if (ReferenceEquals(connection.Transport, transport))
            {
                connection.Close();
            }
        }
    }

    /// <summary>Closes bound connections with no valid check since <paramref name="deadline"/> (Unix ms) or whose
    /// transport has closed.</summary>
    public void Sweep(long deadline)
    {
        foreach (IceTcpConnection connection in _connections.Keys)
        {
            if (connection.Transport is not { } transport)
            {
                continue; // its check timeout applies
            }

            if (transport.Closed.IsCompleted)
            {
                connection.Close();
            }
            else if (connection.LastCheckAt < deadline)
            {
                LogConsentExpired(connection.Remote);
                connection.Close();
            }
        }
    }

    internal void OnJunk(IceTcpConnection connection) => LogJunk(connection.Remote);

    internal void OnUnchecked(IceTcpConnection connection) => LogUnchecked(connection.Remote);

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(e.SocketErrorCode); // e.g. the peer reset before accept, or out of descriptors
                continue;
            }

            Accept(accepted);
        }
    }

    private void Accept(Socket accepted)
    {
        if (_connections.Count >= _server.Options.MaxTcpConnections
            || accepted.RemoteEndPoint is not IPEndPoint remote)
        {
            LogRefused(accepted.RemoteEndPoint);
            accepted.Dispose();
            return;
        }

        accepted.NoDelay = true;
        var connection = new IceTcpConnection(accepted, TransportAddress.FromIPEndPoint(Normalize(remote)), this,
            _server.Options.TcpCheckTimeout, _time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connections[connection] = started.Task;
        _ = RunAsync(connection, started);
    }

    private async Task RunAsync(IceTcpConnection connection, TaskCompletionSource done)
    {
        try
        {
            await connection.RunAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogConnectionFailed(connection.Remote, e);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            done.TrySetResult();
        }
    }

    /// <summary>An IPv4 peer on a dual-stack socket, as the IPv4 address its checks are answered with.</summary>
    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (IceTcpConnection connection in _connections.Keys)
        {
            connection.Close();
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "ICE-TCP connection from {Remote} refused: too many connections")]
    private partial void LogRefused(EndPoint? remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ICE-TCP connection from {Remote} closed: it sent something that is no valid ICE, DTLS or SRTP frame")]
    private partial void LogJunk(TransportAddress remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ICE-TCP connection from {Remote} closed: no valid connectivity check in time")]
    private partial void LogUnchecked(TransportAddress remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "ICE-TCP connection from {Remote} closed: no consent from the peer")]
    private partial void LogConsentExpired(TransportAddress remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepting an ICE-TCP connection failed: {Error}")]
    private partial void LogAcceptFailed(SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ICE-TCP connection from {Remote} failed")]
    private partial void LogConnectionFailed(TransportAddress remote, Exception exception);
}
