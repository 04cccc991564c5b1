using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

internal delegate void AddAttributes(ref StunMessageBuilder builder);

/// <summary>
/// A TURN client written on the codec, over UDP (a socket connected to the server) or TCP (STUN and ChannelData
/// frames, ChannelData padded to 4). It does the long-term credential dance (401 with REALM and NONCE, then the
/// request again with USERNAME, REALM, NONCE and MESSAGE-INTEGRITY, or the SHA-256 variants; 438 → the new nonce),
/// checks that every answer carries a valid FINGERPRINT and that signed answers verify with its key, and keeps what
/// arrives while it waits for an answer (Data indications, ChannelData) for the Receive* methods. Messages are built
/// in one reused buffer; received ones are copied so that the parsed views stay valid.
/// </summary>
internal sealed class TurnTestClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly NetworkStream? _stream;
    private readonly byte[] _send = new byte[StunMessageBuilder.MaxMessageLength + 4];
    private readonly byte[] _receive = new byte[2 * (StunMessageBuilder.MaxMessageLength + 4)];
    private readonly Queue<byte[]> _unsolicited = new();
    private int _filled;

    private TurnTestClient(Socket socket, NetworkStream? stream)
    {
        _socket = socket;
        _stream = stream;
    }

    public static TurnTestClient Udp(IPEndPoint server, IPAddress? local = null)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(local ?? Loopback(server.AddressFamily), 0));
        socket.Connect(server);
        return new TurnTestClient(socket, null);
    }

    public static async Task<TurnTestClient> TcpAsync(IPEndPoint server)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server);
        return new TurnTestClient(socket, new NetworkStream(socket, ownsSocket: true));
    }

    public static IPAddress Loopback(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback;

    /// <summary>The socket, for tests that drive it directly.</summary>
    public Socket Socket => _socket;

    public bool IsStream => _stream is not null;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>Pick SHA-256 from the server's PASSWORD-ALGORITHMS: echo the list, add PASSWORD-ALGORITHM, key with
    /// SHA-256 and sign with MESSAGE-INTEGRITY-SHA256.</summary>
    public bool UseSha256 { get; set; }

    /// <summary>Echo this PASSWORD-ALGORITHMS value instead of the server's (to tamper with it).</summary>
    public byte[]? EchoedAlgorithms { get; set; }

    public string? Realm { get; private set; }

    /// <summary>The nonce in use; settable to replay another client's.</summary>
    public byte[]? Nonce { get; set; }

    /// <summary>PASSWORD-ALGORITHMS of the last challenge, as sent.</summary>
    public byte[]? OfferedAlgorithms { get; private set; }

    public TransportAddress RelayedAddress { get; private set; }

    /// <summary>The server closed the TCP connection.</summary>
    public bool RemoteClosed { get; private set; }

    public StunPasswordAlgorithm Algorithm => UseSha256 ? StunPasswordAlgorithm.Sha256 : StunPasswordAlgorithm.Md5;

    public byte[] Key => StunCredentials.LongTermKey(Username, Realm ?? throw new InvalidOperationException("No realm yet."),
        Password, Algorithm);

    /// <summary>Builds a message: the given attributes, then (authenticated) USERNAME, REALM, NONCE and the integrity
    /// attribute, then FINGERPRINT.</summary>
    public byte[] Build(StunMessageType type, AddAttributes? add = null, bool authenticate = true, TransactionId? id = null)
    {
        var builder = new StunMessageBuilder(_send, type, id ?? TransactionId.NewRandom());
        add?.Invoke(ref builder);
        if (authenticate)
        {
            builder.Add(new Username(Username));
            builder.Add(new Realm(Realm ?? throw new InvalidOperationException("No realm yet.")));
            builder.Add(new Nonce(Nonce ?? throw new InvalidOperationException("No nonce yet.")));
            if (UseSha256 || EchoedAlgorithms is not null)
            {
                builder.AddRaw(StunAttributeType.PasswordAlgorithms, EchoedAlgorithms ?? OfferedAlgorithms ?? []);
                builder.Add(new PasswordAlgorithm(Algorithm));
            }

            if (UseSha256)
            {
                builder.AddMessageIntegritySha256(Key);
            }
            else
            {
                builder.AddMessageIntegrity(Key);
            }
        }

        builder.AddFingerprint();
        return builder.Message.ToArray();
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        if (_stream is not null)
        {
            await _stream.WriteAsync(bytes);
        }
        else
        {
            await _socket.SendAsync(bytes, SocketFlags.None);
        }
    }

    /// <summary>The next datagram, or the next frame on TCP; null when nothing comes in time or the connection
    /// closed.</summary>
    public async Task<byte[]?> TryReceiveRawAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            if (_stream is null)
            {
                int received = await _socket.ReceiveAsync(_receive, SocketFlags.None, cancellation.Token);
                return _receive.AsSpan(0, received).ToArray();
            }

            if (!await FillAsync(StunFraming.TurnFramePrefixLength, cancellation.Token))
            {
                return null;
            }

            if (!StunFraming.TryGetTurnFrameLength(_receive.AsSpan(0, StunFraming.TurnFramePrefixLength), out int length))
            {
                throw new InvalidDataException($"The server sent a frame that is neither STUN nor ChannelData: {Convert.ToHexString(_receive, 0, 4)}");
            }

            if (!await FillAsync(length, cancellation.Token))
            {
                return null;
            }

            byte[] frame = _receive.AsSpan(0, length).ToArray();
            _receive.AsSpan(length, _filled - length).CopyTo(_receive);
            _filled -= length;
            return frame;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<bool> FillAsync(int needed, CancellationToken cancellationToken)
    {
        while (_filled < needed)
        {
            int read;
            try
            {
                read = await _stream!.ReadAsync(_receive.AsMemory(_filled), cancellationToken);
            }
            catch (IOException)
            {
                read = 0;
            }

            if (read == 0)
            {
                RemoteClosed = true;
                return false;
            }

            _filled += read;
        }

        return true;
    }

    /// <summary>Sends a request and waits for the answer with its transaction id; other messages are kept.</summary>
    public async Task<StunMessage?> TryExchangeAsync(byte[] request, TimeSpan? timeout = null)
    {
        await SendAsync(request);
        return await TryReceiveResponseAsync(TransactionId.Read(request.AsSpan(8)), timeout ?? DefaultTimeout);
    }

    public async Task<StunMessage> ExchangeAsync(byte[] request, TimeSpan? timeout = null) =>
        await TryExchangeAsync(request, timeout)
        ?? throw new TimeoutException($"No answer to {StunMessageTypeOf(request)} {TransactionId.Read(request.AsSpan(8))}.");

    public async Task<StunMessage?> TryReceiveResponseAsync(TransactionId id, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            byte[]? message = left > TimeSpan.Zero ? await TryReceiveRawAsync(left) : null;
            if (message is null)
            {
                return null;
            }

            if (StunMessage.TryParse(message, out StunMessage parsed) && parsed.TransactionId == id
                && parsed.Class is StunClass.SuccessResponse or StunClass.ErrorResponse)
            {
                Assert.True(parsed.CheckFingerprint(), $"the answer {parsed} carries a valid FINGERPRINT");
                return parsed;
            }

            _unsolicited.Enqueue(message);
        }
    }

    /// <summary>
    /// A request with credentials: first unauthenticated when no nonce is known yet (the 401 gives REALM and NONCE),
    /// again with the new nonce after a 438. Signed answers must verify with the key.
    /// </summary>
    public async Task<StunMessage> RequestAsync(StunMethod method, AddAttributes? add = null)
    {
        var type = new StunMessageType(method, StunClass.Request);
        if (Nonce is null)
        {
            await ChallengeAsync(method, add);
        }

        StunMessage response = await ExchangeAsync(Build(type, add));
        if (response.ErrorCode() == StunErrorCodes.StaleNonce)
        {
            Learn(response);
            response = await ExchangeAsync(Build(type, add));
        }

        AssertSignedCorrectly(response);
        return response;
    }

    /// <summary>
    /// <see cref="RequestAsync"/> with blocking calls, for a UDP client whose socket must never see an async call:
    /// on Linux a socket that has had one waits in later blocking calls through the async engine, which allocates
    /// per wait (the allocation measurements drive this socket with blocking calls).
    /// </summary>
    public StunMessage RequestBlocking(StunMethod method, AddAttributes? add = null)
    {
        var type = new StunMessageType(method, StunClass.Request);
        if (Nonce is null)
        {
            StunMessage challenge = ExchangeBlocking(Build(type, add, authenticate: false));
            Assert.Equal(StunErrorCodes.Unauthenticated, challenge.ErrorCode());
            Learn(challenge);
        }

        StunMessage response = ExchangeBlocking(Build(type, add));
        AssertSignedCorrectly(response);
        return response;
    }

    private StunMessage ExchangeBlocking(byte[] request)
    {
        Assert.False(IsStream);
        _socket.ReceiveTimeout = (int)DefaultTimeout.TotalMilliseconds;
        _socket.Send(request);
        TransactionId id = TransactionId.Read(request.AsSpan(8));
        while (true)
        {
            int received = _socket.Receive(_receive);
            byte[] message = _receive.AsSpan(0, received).ToArray();
            if (StunMessage.TryParse(message, out StunMessage parsed) && parsed.TransactionId == id)
            {
                return parsed;
            }
        }
    }

    /// <summary>Sends the request without credentials and learns REALM, NONCE and PASSWORD-ALGORITHMS from the 401.</summary>
    public async Task<StunMessage> ChallengeAsync(StunMethod method = StunMethod.Allocate, AddAttributes? add = null)
    {
        StunMessage challenge = await ExchangeAsync(Build(new StunMessageType(method, StunClass.Request),
            add, authenticate: false));
        Assert.Equal(StunErrorCodes.Unauthenticated, challenge.ErrorCode());
        Learn(challenge);
        return challenge;
    }

    /// <summary>Takes REALM, NONCE and PASSWORD-ALGORITHMS from a 401 or 438.</summary>
    public void Learn(in StunMessage challenge)
    {
        Assert.True(challenge.TryGet(out Realm realm), "the challenge carries REALM");
        Assert.True(challenge.TryGet(out Nonce nonce), "the challenge carries NONCE");
        Realm = realm.ToString();
        Nonce = nonce.Utf8.ToArray();
        if (challenge.TryGet(out PasswordAlgorithms algorithms))
        {
            OfferedAlgorithms = algorithms.Raw.ToArray();
        }
    }

    /// <summary>A success answer must carry the integrity attribute the request used, valid for the key; any signed
    /// answer must verify.</summary>
    public void AssertSignedCorrectly(in StunMessage response)
    {
        if (response.Class == StunClass.SuccessResponse)
        {
            Assert.True(UseSha256 ? response.HasMessageIntegritySha256 : response.HasMessageIntegrity,
                $"the success answer {response} is signed with {(UseSha256 ? "MESSAGE-INTEGRITY-SHA256" : "MESSAGE-INTEGRITY")}");
        }

        if (response.HasMessageIntegrity)
        {
            Assert.True(response.CheckMessageIntegrity(Key), $"MESSAGE-INTEGRITY of {response} verifies with the key");
        }

        if (response.HasMessageIntegritySha256)
        {
            Assert.True(response.CheckMessageIntegritySha256(Key), $"MESSAGE-INTEGRITY-SHA256 of {response} verifies");
        }
    }

    public static void RequestUdp(ref StunMessageBuilder builder) => builder.Add(new RequestedTransport(IpProtocol.Udp));

    /// <summary>Allocate (REQUESTED-TRANSPORT UDP and <paramref name="add"/>); remembers the relayed address.</summary>
    public async Task<StunMessage> AllocateAsync(AddAttributes? add = null)
    {
        StunMessage response = await RequestAsync(StunMethod.Allocate, (ref StunMessageBuilder b) =>
        {
            RequestUdp(ref b);
            add?.Invoke(ref b);
        });
        if (response.Class == StunClass.SuccessResponse)
        {
            Assert.True(response.TryGet(out XorRelayedAddress relayed), "the Allocate success carries XOR-RELAYED-ADDRESS");
            RelayedAddress = relayed.Address;
        }

        return response;
    }

    /// <summary>Allocate that must succeed.</summary>
    public async Task<TransportAddress> AllocateOkAsync(AddAttributes? add = null)
    {
        StunMessage response = await AllocateAsync(add);
        Assert.Equal(0, response.ErrorCode());
        return RelayedAddress;
    }

    public Task<StunMessage> RefreshAsync(uint? lifetime = null) => RequestAsync(StunMethod.Refresh,
        lifetime is { } seconds ? (ref StunMessageBuilder b) => b.Add(new Lifetime(seconds)) : null);

    public Task<StunMessage> CreatePermissionAsync(params TransportAddress[] peers) =>
        RequestAsync(StunMethod.CreatePermission, (ref StunMessageBuilder b) =>
        {
            foreach (TransportAddress peer in peers)
            {
                b.Add(new XorPeerAddress(peer));
            }
        });

    public Task<StunMessage> ChannelBindAsync(ushort channel, TransportAddress peer) =>
        RequestAsync(StunMethod.ChannelBind, (ref StunMessageBuilder b) =>
        {
            b.Add(new ChannelNumber(channel));
            b.Add(new XorPeerAddress(peer));
        });

    public byte[] BuildSendIndication(TransportAddress peer, byte[] data) =>
        Build(StunMessageType.SendIndication, (ref StunMessageBuilder b) =>
        {
            b.Add(new XorPeerAddress(peer));
            Data.WriteTo(ref b, data);
        }, authenticate: false);

    public Task SendIndicationAsync(TransportAddress peer, byte[] data) => SendAsync(BuildSendIndication(peer, data));

    /// <summary>ChannelData, padded to 4 on TCP (RFC 8656 §12.5).</summary>
    public byte[] BuildChannelData(ushort channel, ReadOnlySpan<byte> data)
    {
        Assert.True(ChannelData.TryWrite(_send, channel, data, pad: IsStream, out int written));
        return _send.AsSpan(0, written).ToArray();
    }

    public Task SendChannelDataAsync(ushort channel, byte[] data) => SendAsync(BuildChannelData(channel, data));

    /// <summary>The next message that is not an answer (a Data indication or ChannelData); null when none comes.</summary>
    public async Task<byte[]?> TryReceiveRelayedAsync(TimeSpan? timeout = null)
    {
        while (_unsolicited.TryDequeue(out byte[]? queued))
        {
            if (!IsAnswer(queued))
            {
                return queued;
            }
        }

        DateTime deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            byte[]? message = left > TimeSpan.Zero ? await TryReceiveRawAsync(left) : null;
            if (message is null || !IsAnswer(message))
            {
                return message;
            }
        }
    }

    public async Task<(TransportAddress Peer, byte[] Data)> ReceiveDataIndicationAsync()
    {
        byte[] message = await TryReceiveRelayedAsync() ?? throw new TimeoutException("No Data indication came.");
        Assert.True(StunMessage.TryParse(message, out StunMessage indication), "a Data indication parses as STUN");
        Assert.Equal(StunMessageType.DataIndication, indication.Type);
        Assert.True(indication.TryGet(out XorPeerAddress peer), "the Data indication carries XOR-PEER-ADDRESS");
        Assert.True(indication.TryGet(out Data data), "the Data indication carries DATA");
        return (peer.Address, data.Bytes.ToArray());
    }

    public async Task<(ushort Channel, byte[] Data, int FrameLength)> ReceiveChannelDataAsync()
    {
        byte[] message = await TryReceiveRelayedAsync() ?? throw new TimeoutException("No ChannelData came.");
        Assert.True(ChannelData.TryRead(message, out ChannelData channelData),
            $"ChannelData arrives (got {Convert.ToHexString(message.AsSpan(0, Math.Min(8, message.Length)))}...)");
        return (channelData.ChannelNumber, channelData.Data.ToArray(), message.Length);
    }

    /// <summary>Reads and throws away what has arrived (UDP), so the socket's buffer never fills.</summary>
    public void Drain()
    {
        _unsolicited.Clear();
        while (_stream is null && _socket.Available > 0)
        {
            _socket.Receive(_receive);
        }
    }

    private static bool IsAnswer(byte[] message) => StunMessage.TryParse(message, out StunMessage parsed)
        && parsed.Class is StunClass.SuccessResponse or StunClass.ErrorResponse;

    private static string StunMessageTypeOf(byte[] message) =>
        StunMessageType.TryFromValue((ushort)((message[0] << 8) | message[1]), out StunMessageType type) ? type.ToString() : "?";

    public void Dispose()
    {
        if (_stream is not null)
        {
            _stream.Dispose();
        }
        else
        {
            _socket.Dispose();
        }
    }
}

internal static class StunMessageExtensions
{
    /// <summary>The ERROR-CODE of an error answer; 0 for a success.</summary>
    public static int ErrorCode(this in StunMessage message)
    {
        if (message.Class == StunClass.SuccessResponse)
        {
            return 0;
        }

        Assert.True(message.TryGet(out ErrorCode error), $"the error answer {message} carries ERROR-CODE");
        return error.Code;
    }
}
