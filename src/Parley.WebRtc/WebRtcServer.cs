using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Sockets;
using Parley.Stun;
using Parley.WebRtc.Dtls;
using Parley.WebRtc.Ice;

namespace Parley.WebRtc;

/// <summary>
/// Every peer's media on one UDP port (as mediasoup's WebRtcServer and LiveKit do). Datagrams are demultiplexed by
/// their first byte (RFC 7983): STUN goes to the ICE-lite responder, which finds the transport by the local ufrag
/// in USERNAME and binds the sender's address to it; DTLS and SRTP/SRTCP go to the transport bound to their
/// source address. Datagrams from unknown addresses are dropped. With <see cref="WebRtcServerOptions.TcpEnabled"/>, a
/// TCP listener on the same port number adds a passive ICE-TCP candidate (<see cref="IceTcp.IceTcpListener"/>).
/// On Linux (<see cref="WebRtcServerOptions.BatchedUdp"/>) the port's thread takes datagrams in batches (recvmmsg) and
/// the packets their handling sends from that thread (media fanned out to subscribers, ICE responses) are gathered
/// and sent with one sendmmsg per round; sends from other threads (signalling, timers, ICE-TCP) go out at once.
/// </summary>
public sealed partial class WebRtcServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<string, WebRtcTransport> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TransportAddress, WebRtcTransport> _byAddress = new();
    private readonly IceLiteResponder _ice;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly Lock _sendGate = new();
    private readonly SocketAddress _sendAddress;
    private readonly Lock _receiveGate = new();
    private readonly IceTcp.IceTcpListener? _tcp;
    private readonly SendBatch? _sendBatch;
    private readonly SocketAddress _batchAddress;
    private int _batchThread = -1;

    private WebRtcServer(Socket socket, Socket? tcpListening, WebRtcServerOptions options, TimeProvider time, ILogger log)
    {
        _socket = socket;
        _time = time;
        _log = log;
        Options = options;
        Certificate = DtlsCertificate.Create(TimeSpan.FromDays(30), time);
        ConcurrentDictionary<string, WebRtcTransport>.AlternateLookup<ReadOnlySpan<char>> byUfrag =
            _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
        _ice = new IceLiteResponder(ufrag => byUfrag.TryGetValue(ufrag, out WebRtcTransport? found) ? found : null);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        AnnouncedAddress = IPAddress.Parse(options.AnnouncedIp is { Length: > 0 } announced ? announced : options.ListeningIp);
        _sendAddress = new SocketAddress(socket.AddressFamily);
        _batchAddress = new SocketAddress(socket.AddressFamily);
        _tcp = tcpListening is null ? null : new IceTcp.IceTcpListener(tcpListening, this, _ice, _receiveGate, time, log);
        if (options.BatchedUdp && ReceiveBatch.IsSupported)
        {
            _sendBatch = new SendBatch(BatchCapacity, BatchSlotBytes, listener: new SendFailureLog(this));
            _receiving = Task.Factory.StartNew(BatchedReceiveLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        else
        {
            _receiving = Task.Factory.StartNew(ReceiveLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Datagrams per recvmmsg, and per sendmmsg at most.</summary>
    internal const int BatchCapacity = 32;

    /// <summary>The largest datagram the batches hold (RTP on any usual path MTU); larger received datagrams are
    /// dropped, larger sent ones go out on their own.</summary>
    internal const int BatchSlotBytes = 2048;

    public WebRtcServerOptions Options { get; }

    /// <summary>Whether the port receives and sends in batches (Linux, <see cref="WebRtcServerOptions.BatchedUdp"/>).</summary>
    public bool IsBatched => _sendBatch is not null;

    /// <summary>The certificate every transport's DTLS uses; its fingerprint goes into every SDP.</summary>
    public DtlsCertificate Certificate { get; }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The address candidates carry.</summary>
    public IPAddress AnnouncedAddress { get; }

    internal long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public int TransportCount => _byUfrag.Count;

    /// <summary>Open ICE-TCP connections (0 when TCP is off).</summary>
    public int TcpConnectionCount => _tcp?.ConnectionCount ?? 0;

    internal IceTcp.IceTcpListener? Tcp => _tcp;

    public static WebRtcServer Start(WebRtcServerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var address = IPAddress.Parse(options.ListeningIp);
        for (int attempt = 1; ; attempt++)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            Socket? tcp = null;
            try
            {
                socket.ReceiveBufferSize = 4 << 20;
                socket.SendBufferSize = 4 << 20;
                socket.Bind(new IPEndPoint(address, options.Port));
                if (options.TcpEnabled)
                {
                    tcp = ListenTcp(address, ((IPEndPoint)socket.LocalEndPoint!).Port);
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && tcp is null
                && options.Port == 0 && attempt < 20 && socket.IsBound)
            {
                socket.Dispose(); // the kernel's choice of UDP port is taken on TCP: choose again
                continue;
            }
            catch (SocketException e) when (tcp is null && socket.IsBound)
            {
                int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                socket.Dispose();
                throw new InvalidOperationException(
                    $"ICE-TCP cannot listen on TCP {address} port {port} ({e.SocketErrorCode}): free that port or set WebRtc:TcpEnabled=false", e);
            }
            catch
            {
                socket.Dispose();
                tcp?.Dispose();
                throw;
            }

            var server = new WebRtcServer(socket, tcp, options, time, loggers.CreateLogger<WebRtcServer>());
            server.LogListening(server.LocalEndPoint, server.AnnouncedAddress, tcp is null ? "off" : "on");
            return server;
        }
    }

    private static Socket ListenTcp(IPAddress address, int port)
    {
        var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            tcp.Bind(new IPEndPoint(address, port));
            tcp.Listen(512);
            return tcp;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>A transport for one peer connection, given the fingerprint (and ufrag) from the peer's SDP; both null
    /// when the server offers first (see <see cref="WebRtcTransport.AcceptRemote"/>).</summary>
    public WebRtcTransport CreateTransport(CertificateFingerprint? remoteFingerprint, string? remoteUfrag)
    {
        var transport = new WebRtcTransport(this, remoteFingerprint, remoteUfrag, Now);
        _byUfrag[transport.LocalCredentials.Ufrag] = transport;
        return transport;
    }

    /// <summary>The host candidate every transport announces (RFC 8839 grammar, without <c>a=</c>).</summary>
    public string HostCandidate =>
        $"candidate:1 1 udp 2130706431 {AnnouncedAddress} {LocalEndPoint.Port} typ host generation 0";

    /// <summary>The passive ICE-TCP host candidate (RFC 6544 §4.5) on the same port number; null when TCP is off.
    /// Its priority (<see cref="IceTcp.IceTcpPriority"/>) is below the UDP candidate's, so peers use TCP only when
    /// UDP fails.</summary>
    public string? TcpHostCandidate => _tcp is null ? null :
        $"candidate:2 1 tcp {IceTcp.IceTcpPriority.PassiveHost} {AnnouncedAddress} {_tcp.LocalEndPoint.Port} typ host tcptype passive generation 0";

    /// <summary>Closes transports whose peer has sent no valid check within the consent timeout (RFC 7675).</summary>
    public void Sweep()
    {
        long deadline = Now - (long)Options.ConsentTimeout.TotalMilliseconds;
        foreach (KeyValuePair<string, WebRtcTransport> entry in _byUfrag) // not .Values: that copies them all
        {
            WebRtcTransport transport = entry.Value;
            if (transport.LastCheckAt < deadline)
            {
                LogConsentExpired(transport.LocalCredentials.Ufrag);
                transport.Dispose();
            }
        }

        _tcp?.Sweep(deadline);
    }

    internal void Bind(TransportAddress address, WebRtcTransport transport) => _byAddress[address] = transport;

    internal void Remove(WebRtcTransport transport)
    {
        _byUfrag.TryRemove(new KeyValuePair<string, WebRtcTransport>(transport.LocalCredentials.Ufrag, transport));
        foreach (KeyValuePair<TransportAddress, WebRtcTransport> binding in _byAddress)
        {
            if (ReferenceEquals(binding.Value, transport))
            {
                _byAddress.TryRemove(binding);
            }
        }

        _tcp?.CloseConnectionsOf(transport);
    }

    internal void SendTo(ReadOnlySpan<byte> datagram, TransportAddress remote)
    {
        if (_sendBatch is { } batch && Environment.CurrentManagedThreadId == _batchThread)
        {
            remote.WriteTo(_batchAddress);
            if (batch.TryAdd(_socket, datagram, _batchAddress))
            {
                return; // sent when the round ends (or the batch is full)
            }
        }

        lock (_sendGate)
        {
            remote.WriteTo(_sendAddress);
            try
            {
                _socket.SendTo(datagram, SocketFlags.None, _sendAddress);
            }
            catch (SocketException e)
            {
                LogSendFailed(remote, e.SocketErrorCode);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = GC.AllocateArray<byte>(65536, pinned: true);
        byte[] response = new byte[IceLiteResponder.MaxResponseLength];
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, from, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // an ICMP error from an earlier send, or an oversized datagram
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            if (received == 0 || !TransportAddress.TryFromSocketAddress(from, out TransportAddress source))
            {
                continue;
            }

            try
            {
                lock (_receiveGate) // media handlers see one packet at a time, from here or an ICE-TCP connection
                {
                    Dispatch(buffer.AsMemory(0, received), source, response);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogDispatchFailed(source, e); // one bad datagram never stops the port
            }
        }
    }

    /// <summary>The port's thread on Linux: waits with poll, takes up to <see cref="BatchCapacity"/> datagrams per
    /// recvmmsg, handles them, then sends what their handling queued in <see cref="_sendBatch"/>.</summary>
    private void BatchedReceiveLoop()
    {
        _batchThread = Environment.CurrentManagedThreadId;
        SendBatch sendBatch = _sendBatch!;
        using var receiveBatch = new ReceiveBatch(BatchCapacity, BatchSlotBytes);
        byte[] response = new byte[IceLiteResponder.MaxResponseLength];
        var from = new SocketAddress(_socket.AddressFamily);
        SafeSocketHandle handle = _socket.SafeHandle;
        bool referenced = false;
        try
        {
            handle.DangerousAddRef(ref referenced); // the descriptor stays this socket's until the loop ends
            int fd = (int)handle.DangerousGetHandle();
            while (!_stop.IsCancellationRequested)
            {
                int received = receiveBatch.Receive(fd, out _);
                if (received < 0)
                {
                    continue; // an ICMP error from an earlier send; datagrams may follow it
                }

                if (received == 0)
                {
                    ReceiveBatch.WaitReadable(fd, 100);
                    continue;
                }

                lock (_receiveGate) // media handlers see one packet at a time, from here or an ICE-TCP connection
                {
                    for (int i = 0; i < received; i++)
                    {
                        DispatchReceived(receiveBatch, i, from, response);
                    }
                }

                sendBatch.Flush();
            }
        }
        catch (ObjectDisposedException)
        {
            // closed before the loop took its reference
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease();
            }

            Volatile.Write(ref _batchThread, -1); // managed thread ids are reused: no later thread may take this one's batch
            sendBatch.Dispose();
        }
    }

    private void DispatchReceived(ReceiveBatch batch, int index, SocketAddress from, byte[] response)
    {
        if (batch.LengthAt(index) <= 0)
        {
            return; // empty, or larger than a slot: no media or ICE datagram is
        }

        batch.SourceAt(index, from);
        if (!TransportAddress.TryFromSocketAddress(from, out TransportAddress source))
        {
            return;
        }

        try
        {
            Dispatch(batch.DatagramAt(index), source, response);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogDispatchFailed(source, e); // one bad datagram never stops the port
        }
    }

    private void Dispatch(Memory<byte> datagram, TransportAddress source, byte[] response)
    {
        byte first = datagram.Span[0];
        switch (first)
        {
            case <= 3: // STUN
                int length = _ice.Handle(datagram, source, response, out _);
                if (length > 0)
                {
                    SendTo(response.AsSpan(0, length), source);
                }

                break;
            case >= 20 and <= 63: // DTLS
                if (_byAddress.TryGetValue(source, out WebRtcTransport? dtlsPeer))
                {
                    dtlsPeer.OnDtls(datagram.Span);
                }

                break;
            case >= 128 and <= 191: // RTP and RTCP
                if (_byAddress.TryGetValue(source, out WebRtcTransport? mediaPeer))
                {
                    mediaPeer.OnMedia(datagram.Span);
                }

                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (WebRtcTransport transport in _byUfrag.Values)
        {
            transport.Dispose();
        }

        if (_tcp is not null)
        {
            await _tcp.DisposeAsync();
        }

        _socket.Dispose();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebRTC media on UDP {EndPoint} (announced as {Announced}), ICE-TCP {Tcp}")]
    private partial void LogListening(IPEndPoint endPoint, IPAddress announced, string tcp);

    [LoggerMessage(Level = LogLevel.Information, Message = "Transport {Ufrag}: no consent from the peer; closed")]
    private partial void LogConsentExpired(string ufrag);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Send to {Remote} failed: {Error}")]
    private partial void LogSendFailed(TransportAddress remote, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A datagram from {Source} could not be handled")]
    private partial void LogDispatchFailed(TransportAddress source, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A batched send failed: errno {Error}")]
    private partial void LogBatchedSendFailed(int error);

    /// <summary>Logs the datagrams a batch could not send (as <see cref="SendTo"/> logs its failures).</summary>
    private sealed class SendFailureLog(WebRtcServer server) : ISendBatchListener
    {
        public void Sent(int tag)
        {
        }

        public void Dropped(int tag, int error) => server.LogBatchedSendFailed(error);
    }
}
