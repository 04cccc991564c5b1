using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Parley.WebRtc.Dtls;

/// <summary>
/// One peer's DTLS-SRTP association, Parley being the DTLS server (it answers <c>a=setup:actpass</c> offers with
/// <c>passive</c> and offers <c>actpass</c>, which browsers answer with <c>active</c>). Feed it the peer's DTLS
/// datagrams; <see cref="HandshakeAsync"/> completes with the SRTP keys once the peer's certificate has matched
/// its SDP fingerprint. BouncyCastle's engine is synchronous, so the handshake runs on its own thread, which stays
/// a while afterwards to answer the peer's retransmitted final flight.
/// </summary>
public sealed class DtlsSrtpTransport : IDisposable
{
    /// <summary>How long after the handshake a lost final flight is still answered.</summary>
    private static readonly TimeSpan Lingering = TimeSpan.FromSeconds(30);

    private readonly QueuedDatagramTransport _datagrams;
    private readonly TaskCompletionSource<SrtpKeyingMaterial> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();

    private readonly TaskCompletionSource<CertificateFingerprint> _remoteFingerprint = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="remoteFingerprint">The peer's fingerprint from its SDP; null when it is not known yet (the server
    /// offered first): <see cref="SetRemoteFingerprint"/> gives it when the answer arrives.</param>
    public DtlsSrtpTransport(DtlsCertificate certificate, CertificateFingerprint? remoteFingerprint, SendDatagram send)
    {
        _datagrams = new QueuedDatagramTransport(send);
        if (remoteFingerprint is not null)
        {
            _remoteFingerprint.TrySetResult(remoteFingerprint);
        }

        var server = new DtlsSrtpServer(new BcTlsCrypto(new SecureRandom()), certificate, _remoteFingerprint.Task);
        var thread = new Thread(() => Run(server)) { IsBackground = true, Name = "DTLS handshake" };
        thread.Start();
    }

    /// <summary>Completes with the SRTP keys, or fails with a <see cref="DtlsHandshakeException"/>.</summary>
    public Task<SrtpKeyingMaterial> HandshakeAsync => _handshake.Task;

    /// <summary>The peer's fingerprint, once its SDP arrives (the first one given counts).</summary>
    public void SetRemoteFingerprint(CertificateFingerprint fingerprint) => _remoteFingerprint.TrySetResult(fingerprint);

    /// <summary>Hands over a datagram whose first byte is 20-63 (RFC 7983 §7: DTLS).</summary>
    public void Receive(ReadOnlySpan<byte> datagram) => _datagrams.Enqueue(datagram);

    public void Dispose()
    {
        _stop.Cancel();
        _datagrams.Close();
        _handshake.TrySetException(new DtlsHandshakeException("the transport was closed"));
    }

    private void Run(DtlsSrtpServer server)
    {
        DtlsTransport dtls;
        try
        {
            dtls = new DtlsServerProtocol().Accept(server, _datagrams);
        }
        catch (Exception e) when (e is TlsException or IOException or InvalidOperationException)
        {
            _handshake.TrySetException(new DtlsHandshakeException(server.Failure ?? e.Message, e));
            return;
        }

        _handshake.TrySetResult(server.Keys!);
        byte[] buffer = new byte[dtls.GetReceiveLimit()];
        DateTime until = DateTime.UtcNow + Lingering;
        try
        {
            // One wait for the whole lingering time: BouncyCastle's record layer allocates per call, and it keeps
            // answering retransmissions within a call until the wait ends; a call ends early only for application
            // data (not used: no data channels), after which the rest of the time is waited. A timeout (-1) ends
            // the thread, as does Dispose (the queue is closed).
            int received = 0;
            TimeSpan left;
            while (received >= 0 && !_stop.IsCancellationRequested && (left = until - DateTime.UtcNow) > TimeSpan.Zero)
            {
                received = dtls.Receive(buffer, 0, buffer.Length, (int)Math.Ceiling(left.TotalMilliseconds));
            }
        }
        catch (Exception e) when (e is TlsException or IOException or InvalidOperationException)
        {
            // The peer closed or the transport was disposed.
        }
    }
}
