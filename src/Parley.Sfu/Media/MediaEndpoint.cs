using Microsoft.Extensions.Logging;
using Parley.Rtp;
using Parley.WebRtc;
using Parley.WebRtc.Dtls;

namespace Parley.Sfu.Media;

/// <summary>
/// One browser peer connection on the media port (mediasoup's WebRtcTransport with its producers or consumers):
/// once ICE and DTLS are done it holds the SRTP contexts, takes the peer's packets (decrypted in place, on the
/// port's receive loop) and sends it packets (encrypted in a per-endpoint buffer under a lock, since senders may be
/// on the receive loop or on signalling's threads).
/// </summary>
internal abstract partial class MediaEndpoint : IDisposable
{
    /// <summary>Room for the largest packet forwarded plus any SRTP/SRTCP trailer.</summary>
    private const int BufferLength = 1500 + 64;

    private readonly ILogger _log;
    private readonly Lock _sendGate = new();
    private readonly byte[] _sendBuffer = new byte[BufferLength];
    private SrtpSession? _srtp;

    protected MediaEndpoint(string id, WebRtcTransport transport, ILogger log)
    {
        Id = id;
        Transport = transport;
        _log = log;
        transport.MediaReceived = OnDatagram;
        _ = ConnectAsync();
    }

    public string Id { get; }

    public WebRtcTransport Transport { get; }

    public bool IsConnected => Volatile.Read(ref _srtp) is not null;

    public long PacketsReceived { get; private set; }

    public long PacketsSent { get; private set; }

    public long BytesReceived { get; private set; }

    public long BytesSent { get; private set; }

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>The SDP the peer sent and the server's, once negotiated (for statistics).</summary>
    public string? RemoteSdp { get; set; }

    public string? LocalSdp { get; set; }

    /// <summary>Sends a plain RTP packet, rewritten to the consumer's SSRC, payload type, sequence number and timestamp.</summary>
    public void SendRtp(ReadOnlySpan<byte> plain, uint ssrc, byte payloadType, ushort sequenceNumber, uint timestamp, byte absSendTimeId = 0)
    {
        if (Volatile.Read(ref _srtp) is not { } srtp || plain.Length > BufferLength - 32)
        {
            return;
        }

        lock (_sendGate)
        {
            Span<byte> packet = _sendBuffer;
            plain.CopyTo(packet);
            RtpPacketRewriter.SetSsrc(packet, ssrc);
            RtpPacketRewriter.SetPayloadType(packet, payloadType);
            RtpPacketRewriter.SetSequenceNumber(packet, sequenceNumber);
            RtpPacketRewriter.SetTimestamp(packet, timestamp);
            if (absSendTimeId != 0)
            {
                RtpPacketRewriter.TrySetExtension(packet[..plain.Length], absSendTimeId,
                    AbsoluteSendTime.FromTime(System.Diagnostics.Stopwatch.GetElapsedTime(0)));
            }
            if (srtp.TryProtectRtp(packet, plain.Length, out int length))
            {
                Transport.SendToSelected(packet[..length]);
                PacketsSent++;
                BytesSent += length;
            }
        }
    }

    /// <summary>Sends a plain RTCP (compound) packet.</summary>
    public void SendRtcp(ReadOnlySpan<byte> plain)
    {
        if (Volatile.Read(ref _srtp) is not { } srtp || plain.Length > BufferLength - 32)
        {
            return;
        }

        lock (_sendGate)
        {
            Span<byte> packet = _sendBuffer;
            plain.CopyTo(packet);
            if (srtp.TryProtectRtcp(packet, plain.Length, out int length))
            {
                Transport.SendToSelected(packet[..length]);
            }
        }
    }

    /// <summary>The endpoint's statistics now; the server's candidate is the TCP one when the peer's selected path is
    /// an ICE-TCP connection, else the UDP one.</summary>
    public EndpointStatistics GetStatistics(string udpCandidate, string? tcpCandidate) => new(
        Id,
        this is PublisherEndpoint,
        CreatedAt,
        LocalSdp,
        RemoteSdp,
        Transport.SelectedIsTcp && tcpCandidate is not null ? tcpCandidate : udpCandidate,
        Transport.SelectedRemote is { } remote
            ? Transport.SelectedIsTcp
                ? $"candidate:1 1 TCP 0 {remote.ToIPAddress()} {remote.Port} typ prflx tcptype active"
                : $"candidate:1 1 UDP 0 {remote.ToIPAddress()} {remote.Port} typ prflx"
            : null,
        PacketsReceived,
        BytesReceived,
        PacketsSent,
        BytesSent,
        GetStreamStatistics());

    protected abstract IReadOnlyList<StreamStatistics> GetStreamStatistics();

    protected abstract void OnRtp(ReadOnlySpan<byte> plain);

    protected abstract void OnRtcp(ReadOnlySpan<byte> plain);

    /// <summary>Called once, when the SRTP keys are in place.</summary>
    protected virtual void OnConnected()
    {
    }

    private void OnDatagram(WebRtcTransport transport, Span<byte> datagram)
    {
        if (Volatile.Read(ref _srtp) is not { } srtp)
        {
            return; // media before DTLS completed cannot be decrypted yet
        }

        switch (RtpDemux.Classify(datagram))
        {
            case DemuxedProtocol.Rtp when srtp.TryUnprotectRtp(datagram, out int length):
                PacketsReceived++;
                BytesReceived += datagram.Length;
                OnRtp(datagram[..length]);
                break;
            case DemuxedProtocol.Rtcp when srtp.TryUnprotectRtcp(datagram, out int length):
                OnRtcp(datagram[..length]);
                break;
        }
    }

    private async Task ConnectAsync()
    {
        try
        {
            SrtpKeyingMaterial keys = await Transport.Connected;
            Volatile.Write(ref _srtp, new SrtpSession(keys));
            LogConnected(Id, keys.Profile);
            OnConnected();
        }
        catch (DtlsHandshakeException e)
        {
            LogDtlsFailed(Id, e.Message);
            Transport.Dispose(); // its owner hears of it through the transport's Closed
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogConnectFailed(Id, e);
            Transport.Dispose();
        }
    }

    public virtual void Dispose()
    {
        Transport.MediaReceived = null;
        Transport.Dispose();
        Interlocked.Exchange(ref _srtp, null)?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {Id} connected ({Profile})")]
    private partial void LogConnected(string id, SrtpProtectionProfile profile);

    [LoggerMessage(Level = LogLevel.Error, Message = "Endpoint {Id}: setting up SRTP failed")]
    private partial void LogConnectFailed(string id, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Endpoint {Id}: DTLS failed: {Reason}")]
    private partial void LogDtlsFailed(string id, string reason);
}
