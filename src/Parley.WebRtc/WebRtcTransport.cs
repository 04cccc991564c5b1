using Parley.Stun;
using Parley.WebRtc.Dtls;
using Parley.WebRtc.Ice;

namespace Parley.WebRtc;

/// <summary>
/// One peer connection's transport on the shared media port (mediasoup's WebRtcTransport): ICE-lite credentials,
/// the path the peer nominated (its address on the UDP port, or one of its ICE-TCP connections), and the DTLS-SRTP
/// association that yields the SRTP keys.
/// </summary>
public sealed class WebRtcTransport : IIceLiteEndpoint, IDisposable
{
    private readonly WebRtcServer _server;
    private readonly DtlsSrtpTransport _dtls;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IcePath? _selected;

    internal WebRtcTransport(WebRtcServer server, CertificateFingerprint? remoteFingerprint, string? remoteUfrag, long now)
    {
        _server = server;
        LocalCredentials = IceCredentials.Create();
        RemoteUfrag = remoteUfrag;
        LastCheckAt = now;
        _dtls = new DtlsSrtpTransport(server.Certificate, remoteFingerprint, SendToSelected);
    }

    public IceCredentials LocalCredentials { get; }

    /// <summary>The peer's ICE fragment; null until its SDP is known (checks are then accepted from any fragment).</summary>
    public string? RemoteUfrag { get; private set; }

    /// <summary>The peer's transport parameters from its answer, when the server offered first.</summary>
    public void AcceptRemote(CertificateFingerprint fingerprint, string? ufrag)
    {
        RemoteUfrag = ufrag;
        _dtls.SetRemoteFingerprint(fingerprint);
    }

    /// <summary>The remote address media goes to: the last one the peer nominated (or first checked from).</summary>
    public TransportAddress? SelectedRemote => Volatile.Read(ref _selected)?.Remote;

    /// <summary>Whether media goes on an ICE-TCP connection rather than the UDP port.</summary>
    public bool SelectedIsTcp => Volatile.Read(ref _selected) is IceTcp.IceTcpConnection;

    /// <summary>Completes with the SRTP keys when ICE and DTLS are done; fails if DTLS fails.</summary>
    public Task<SrtpKeyingMaterial> Connected => _dtls.HandshakeAsync;

    /// <summary>Completes when the transport is closed (by its owner, or when the peer's consent expired).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Unix ms of the last valid connectivity check (consent freshness, RFC 7675).</summary>
    internal long LastCheckAt { get; private set; }

    /// <summary>Receives the peer's SRTP and SRTCP datagrams (first byte 128-191), once the SFU attaches. The
    /// memory is the port's receive buffer: it may be decrypted in place and is only valid during the call. Calls
    /// come from the UDP port's receive loop or an ICE-TCP connection's, one at a time (the server serialises them),
    /// so media handlers need no locks among themselves.</summary>
    public MediaHandler? MediaReceived { get; set; }

    public void OnValidCheck(TransportAddress from, bool nominated)
    {
        LastCheckAt = _server.Now;
        _server.Bind(from, this);
        IcePath? selected = Volatile.Read(ref _selected);
        if ((nominated || selected is null) && !(selected is UdpPath udp && udp.Remote == from))
        {
            // A peer that moves (new network) nominates its new address and media follows it.
            Volatile.Write(ref _selected, new UdpPath(_server, from));
        }
    }

    /// <summary>A valid check arrived on an ICE-TCP connection (which has bound itself to this transport).</summary>
    internal void OnValidCheck(IceTcp.IceTcpConnection connection, bool nominated)
    {
        LastCheckAt = _server.Now;
        if (nominated || Volatile.Read(ref _selected) is null)
        {
            Volatile.Write(ref _selected, connection);
        }
    }

    /// <summary>A path closed (an ICE-TCP connection ended): if media went on it, it stops until the peer nominates
    /// another.</summary>
    internal void OnPathClosed(IcePath path) => Interlocked.CompareExchange(ref _selected, null, path);

    /// <summary>Sends a datagram on the selected path; dropped before ICE has selected one.</summary>
    public void SendToSelected(ReadOnlySpan<byte> datagram) => Volatile.Read(ref _selected)?.Send(datagram);

    internal void OnDtls(ReadOnlySpan<byte> datagram) => _dtls.Receive(datagram);

    internal void OnMedia(Span<byte> datagram) => MediaReceived?.Invoke(this, datagram);

    public void Dispose()
    {
        _dtls.Dispose();
        _server.Remove(this);
        _closed.TrySetResult();
    }
}

/// <summary>Handles one SRTP or SRTCP datagram of a transport.</summary>
public delegate void MediaHandler(WebRtcTransport transport, Span<byte> datagram);
