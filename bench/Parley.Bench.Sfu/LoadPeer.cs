using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Parley.Srtp;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Bench.Sfu;

/// <summary>
/// One load peer: a UDP socket of its own (as a browser's peer connection has), ICE credentials, and once connected
/// the SRTP contexts of both directions. <see cref="Connect"/> does ICE (checks as controlling or controlled agent,
/// answering the server's checks, as a full agent must) and then the DTLS-SRTP handshake as client, blocking; then
/// the socket is connected to the server's candidate and made non-blocking for the load threads. In raw mode (the
/// raw relay) there is neither: the peer sends its registration and media is plain RTP.
/// </summary>
internal sealed class LoadPeer : IDisposable
{
    private const uint CheckPriority = 0x6E0001FF; // type preference 110 (host), as browsers announce host candidates
    private const long CheckIntervalMs = 50;

    private readonly byte[] _stunBuffer = new byte[512];
    private readonly ulong _tieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private byte[] _localKey;
    private byte[]? _remoteKey;
    private Username? _checkUsername;
    private long _lastCheckAt;

    public LoadPeer(int index, IPAddress localAddress, bool raw)
    {
        Index = index;
        Raw = raw;
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.ReceiveBufferSize = 1 << 20;
        Socket.SendBufferSize = 1 << 20;
        Socket.Bind(new IPEndPoint(localAddress, 0));
        LocalEndPoint = (IPEndPoint)Socket.LocalEndPoint!;
        Ufrag = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 8);
        Password = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 24);
        _localKey = StunCredentials.ShortTermKey(Password);
    }

    public int Index { get; }

    public bool Raw { get; }

    public Socket Socket { get; }

    public IPEndPoint LocalEndPoint { get; }

    public string Ufrag { get; }

    public string Password { get; }

    public IceRole Role { get; set; } = IceRole.Controlling;

    public RemoteTransport? Remote { get; private set; }

    /// <summary>Protects what this peer sends (the DTLS client's key).</summary>
    public SrtpContext? Outbound { get; private set; }

    /// <summary>Unprotects what it receives (the DTLS server's key).</summary>
    public SrtpContext? Inbound { get; private set; }

    public SrtpProfile? Profile { get; private set; }

    /// <summary>The host candidate line (without <c>a=</c>) for this peer's SDP.</summary>
    public string Candidate => $"candidate:1 1 udp 2122260223 {LocalEndPoint.Address} {LocalEndPoint.Port} typ host generation 0";

    public void SetRemote(RemoteTransport remote)
    {
        Remote = remote;
        _remoteKey = StunCredentials.ShortTermKey(remote.Password);
        _checkUsername = new Username($"{remote.Ufrag}:{Ufrag}");
    }

    /// <summary>
    /// ICE, then DTLS-SRTP (or, raw, the registration datagram): blocking, for a set-up thread. Fails with a
    /// <see cref="Parley.Bench.Common.BenchmarkException"/> naming what did not happen in time.
    /// </summary>
    public void Connect(ReadOnlySpan<byte> rawRegistration, PeerCertificate certificate, TimeSpan timeout)
    {
        RemoteTransport remote = Remote ?? throw new InvalidOperationException("no remote transport");
        Socket.Connect(remote.Candidate);
        if (Raw)
        {
            Socket.Send(rawRegistration);
            Socket.Blocking = false;
            return;
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        byte[] buffer = new byte[2048];
        bool answered = false;
        while (!answered)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new Parley.Bench.Common.BenchmarkException($"peer {Index}: no ICE check answered by {remote.Candidate} within {timeout.TotalSeconds:0} s");
            }

            SendCheckIfDue(Environment.TickCount64);
            if (Socket.Poll(10_000, SelectMode.SelectRead))
            {
                int length = ReceiveOrZero(buffer);
                if (length > 0 && buffer[0] <= 3)
                {
                    answered |= HandleStun(buffer.AsMemory(0, length));
                }
            }
        }

        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), certificate, remote.Fingerprint);
        var transport = new SetupTransport(this, deadline);
        try
        {
            DtlsTransport dtls = new DtlsClientProtocol().Connect(client, transport);
            _ = dtls; // no application data: the association only yields the keys
        }
        catch (Exception e) when (e is TlsException or IOException)
        {
            throw new Parley.Bench.Common.BenchmarkException($"peer {Index}: DTLS handshake with {remote.Candidate} failed: {e.Message}");
        }

        SrtpKeys keys = client.Keys ?? throw new Parley.Bench.Common.BenchmarkException($"peer {Index}: DTLS gave no SRTP keys");
        Profile = keys.Profile;
        Outbound = new SrtpContext(keys.Profile, keys.ClientKey, keys.ClientSalt);
        Inbound = new SrtpContext(keys.Profile, keys.ServerKey, keys.ServerSalt);
        Socket.Blocking = false;
    }

    /// <summary>A connectivity check (or consent refresh, RFC 7675) when the last one is older than the interval.</summary>
    public void SendCheckIfDue(long nowMs, long intervalMs = CheckIntervalMs)
    {
        if (Raw || _remoteKey is null || nowMs - _lastCheckAt < intervalMs)
        {
            return;
        }

        _lastCheckAt = nowMs;
        var builder = new StunMessageBuilder(_stunBuffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(_checkUsername!.Value);
        builder.Add(new Priority(CheckPriority));
        if (Role == IceRole.Controlling)
        {
            builder.Add(new IceControlling(_tieBreaker));
            builder.Add(default(UseCandidate));
        }
        else
        {
            builder.Add(new IceControlled(_tieBreaker));
        }

        builder.AddMessageIntegrity(_remoteKey);
        builder.AddFingerprint();
        SendOrDrop(_stunBuffer.AsSpan(0, builder.Length));
    }

    /// <summary>
    /// A STUN datagram from the server: a check is answered (a full agent checks us, and keeps checking for consent);
    /// true for a success response to one of ours.
    /// </summary>
    public bool HandleStun(ReadOnlyMemory<byte> datagram)
    {
        if (!StunMessage.TryParse(datagram, out StunMessage message))
        {
            return false;
        }

        if (message.Type == StunMessageType.BindingSuccess)
        {
            return true;
        }

        if (message.Type != StunMessageType.BindingRequest || !message.CheckMessageIntegrity(_localKey))
        {
            return false;
        }

        var builder = new StunMessageBuilder(_stunBuffer, StunMessageType.BindingSuccess, message.TransactionId);
        builder.Add(new XorMappedAddress(TransportAddress.FromIPEndPoint(Remote!.Candidate)));
        builder.AddMessageIntegrity(_localKey);
        builder.AddFingerprint();
        SendOrDrop(_stunBuffer.AsSpan(0, builder.Length));
        return false;
    }

    /// <summary>Sends on the connected socket; a full buffer or an ICMP error drops the datagram, as UDP does.</summary>
    public bool SendOrDrop(ReadOnlySpan<byte> datagram)
    {
        Socket.Send(datagram, SocketFlags.None, out SocketError error);
        return error == SocketError.Success;
    }

    /// <summary>A datagram's length, or 0 when there is none (or an ICMP error was reported instead).</summary>
    public int ReceiveOrZero(Span<byte> buffer)
    {
        int length = Socket.Receive(buffer, SocketFlags.None, out SocketError error);
        return error == SocketError.Success ? length : 0;
    }

    public void Dispose() => Socket.Dispose();
}
