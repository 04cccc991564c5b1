using System.Net;
using System.Net.Sockets;
using Parley.Bench.Common;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Bench.Turn;

/// <summary>
/// One TURN client's control plane over its own UDP socket: the allocation (RFC 8656 §7: an Allocate without
/// credentials, the 401 with REALM and NONCE, the Allocate again with USERNAME, REALM, NONCE and
/// MESSAGE-INTEGRITY), the channel (§11, ChannelBind, which also installs the permission) or the permission alone
/// (§9, CreatePermission), and the release (§8, Refresh with LIFETIME 0). Every response is checked: its class and
/// method, its MESSAGE-INTEGRITY (the long-term key), and the addresses it gives. Anything else fails with a
/// <see cref="BenchmarkException"/> that says what came back.
/// <para>
/// Each operation is a few requests in turn: <c>Begin*</c> gives the first, <see cref="Continue"/> checks the answer
/// to the pending one and gives the next, or null once the operation has succeeded. The blocking methods
/// (<see cref="Allocate"/>...) run them one transaction at a time with <see cref="StunExchange"/>; the allocation
/// phase's <see cref="TransactionBurst"/> runs many sessions' at once on a few threads.
/// </para>
/// </summary>
internal sealed class TurnSession : IDisposable
{
    private const int RequestBufferLength = 1024;
    private const int StaleNonceRetries = 2;

    private readonly IPEndPoint _server;
    private readonly RestApiCredentials _credentials;
    private readonly string _expectedRealm;
    private readonly PortRange _relayPorts;
    private string _realm = "";
    private byte[] _nonce = [];
    private byte[] _key = [];
    private StunRequest? _pending;
    private Func<StunMessage, StunRequest?>? _onAnswer;

    public TurnSession(IPEndPoint server, RestApiCredentials credentials, string realm, PortRange relayPorts)
    {
        _server = server;
        _credentials = credentials;
        _expectedRealm = realm;
        _relayPorts = relayPorts;
        Socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            Socket.ReceiveBufferSize = 4 * 1024 * 1024; // deep enough not to drop at the client when its thread waits
            Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }
        catch
        {
            Socket.Dispose();
            throw;
        }

        LocalAddress = TransportAddress.FromIPEndPoint((IPEndPoint)Socket.LocalEndPoint!);
    }

    public Socket Socket { get; }

    /// <summary>The server's address, where every request goes.</summary>
    public IPEndPoint Server => _server;

    public TransportAddress LocalAddress { get; }

    /// <summary>The relayed transport address the server allocated; set once an Allocate succeeds.</summary>
    public TransportAddress RelayedAddress { get; private set; }

    private delegate void AttributeWriter(ref StunMessageBuilder builder);

    /// <summary>Allocates a UDP relay with the long-term credentials, after the server's 401.</summary>
    public void Allocate(CancellationToken cancellationToken) => Run(BeginAllocate(), cancellationToken);

    /// <summary>Binds <paramref name="channel"/> to <paramref name="peer"/>, which also permits the peer.</summary>
    public void BindChannel(ushort channel, TransportAddress peer, CancellationToken cancellationToken) =>
        Run(BeginAuthenticated(StunMessageType.ChannelBindRequest, (ref StunMessageBuilder b) =>
        {
            b.Add(new ChannelNumber(channel));
            b.Add(new XorPeerAddress(peer));
        }, "ChannelBind", onSuccess: null), cancellationToken);

    /// <summary>Permits <paramref name="peer"/> to send to the relayed address, with no channel.</summary>
    public void CreatePermission(TransportAddress peer, CancellationToken cancellationToken) =>
        Run(BeginAuthenticated(StunMessageType.CreatePermissionRequest,
            (ref StunMessageBuilder b) => b.Add(new XorPeerAddress(peer)), "CreatePermission", onSuccess: null),
            cancellationToken);

    /// <summary>Deletes the allocation: a Refresh with LIFETIME 0.</summary>
    public void Release(CancellationToken cancellationToken) => Run(BeginRelease(), cancellationToken);

    /// <summary>The first request of an allocation: an Allocate without credentials, to be answered by a 401.</summary>
    public StunRequest BeginAllocate() =>
        Begin(new StunRequest(Build(StunMessageType.AllocateRequest, AddUdpTransport, authenticate: false), "Allocate"),
            OnChallenge);

    /// <summary>The request of a release: a Refresh with LIFETIME 0, authenticated.</summary>
    public StunRequest BeginRelease() =>
        BeginAuthenticated(StunMessageType.RefreshRequest, (ref StunMessageBuilder b) => b.Add(new Lifetime(0)),
            "Refresh (lifetime 0)", onSuccess: null);

    /// <summary>
    /// Checks <paramref name="answer"/>, the response to the pending request (its transaction id already matched),
    /// and returns the operation's next request, or null when the operation has succeeded; fails with what came back
    /// otherwise.
    /// </summary>
    public StunRequest? Continue(StunMessage answer)
    {
        if (_pending is null || _onAnswer is null || answer.TransactionId != _pending.Id)
        {
            throw new InvalidOperationException("no request of this session awaits this answer");
        }

        Func<StunMessage, StunRequest?> onAnswer = _onAnswer;
        _pending = null;
        _onAnswer = null;
        return onAnswer(answer);
    }

    /// <summary>
    /// Connects the socket to the server for the load, so that the kernel caches the route and delivers only the
    /// server's datagrams, and makes it non-blocking for the load threads' polling.
    /// </summary>
    public void PrepareForLoad()
    {
        Socket.Connect(_server);
        Socket.Blocking = false;
    }

    public void Dispose() => Socket.Dispose();

    /// <summary>Runs an operation to its end, one blocking transaction after another.</summary>
    private void Run(StunRequest first, CancellationToken cancellationToken)
    {
        for (StunRequest? request = first; request is not null;)
        {
            request = Continue(StunExchange.Run(Socket, _server, request, cancellationToken));
        }
    }

    private StunRequest Begin(StunRequest request, Func<StunMessage, StunRequest?> onAnswer)
    {
        _pending = request;
        _onAnswer = onAnswer;
        return request;
    }

    /// <summary>The answer to the Allocate without credentials: a 401 with the realm and the nonce to use.</summary>
    private StunRequest OnChallenge(StunMessage challenge)
    {
        if (!IsError(challenge, StunErrorCodes.Unauthenticated))
        {
            throw new BenchmarkException(
                $"Allocate without credentials: {Describe(challenge)} instead of 401 Unauthenticated with REALM and NONCE (is TURN enabled, with long-term credentials?)");
        }

        TakeRealmAndNonce(challenge, "Allocate without credentials");
        return BeginAuthenticated(StunMessageType.AllocateRequest, AddUdpTransport, "Allocate", OnAllocated);
    }

    /// <summary>The authenticated Allocate's success (its class and integrity already checked).</summary>
    private void OnAllocated(StunMessage allocated)
    {
        if (!allocated.TryGet(out XorRelayedAddress relayed))
        {
            throw new BenchmarkException("Allocate: the success response has no XOR-RELAYED-ADDRESS");
        }

        var serverAddress = TransportAddress.FromIPEndPoint(_server);
        if (relayed.Address.WithPort(0) != serverAddress.WithPort(0) || !_relayPorts.Contains(relayed.Address.Port))
        {
            throw new BenchmarkException(
                $"Allocate: the relayed address is {relayed.Address}, not {_server.Address} with a port in the relay range {_relayPorts} the server was given");
        }

        if (!allocated.TryGet(out XorMappedAddress mapped) || mapped.Address != LocalAddress)
        {
            throw new BenchmarkException(
                $"Allocate: XOR-MAPPED-ADDRESS is {(allocated.TryGet(out mapped) ? mapped.Address.ToString() : "missing")}, not the client's {LocalAddress}");
        }

        if (!allocated.TryGet(out Lifetime lifetime) || lifetime.Seconds == 0)
        {
            throw new BenchmarkException("Allocate: the success response has no LIFETIME, or 0");
        }

        RelayedAddress = relayed.Address;
    }

    /// <summary>
    /// An authenticated request, sent again with the new nonce after a 438 (Stale Nonce); its success response must
    /// carry a MESSAGE-INTEGRITY made with the same key, and is then handed to <paramref name="onSuccess"/>.
    /// </summary>
    private StunRequest BeginAuthenticated(StunMessageType type, AttributeWriter addAttributes, string what,
        Action<StunMessage>? onSuccess, int attempt = 0) =>
        Begin(new StunRequest(Build(type, addAttributes, authenticate: true), what), response =>
        {
            if (IsError(response, StunErrorCodes.StaleNonce) && attempt < StaleNonceRetries)
            {
                TakeRealmAndNonce(response, what);
                return BeginAuthenticated(type, addAttributes, what, onSuccess, attempt + 1);
            }

            CheckSuccess(response, type.ToResponse(success: true), what);
            onSuccess?.Invoke(response);
            return null;
        });

    private void CheckSuccess(StunMessage response, StunMessageType success, string what)
    {
        if (response.Type != success)
        {
            string hint = IsError(response, StunErrorCodes.Unauthenticated)
                ? " (the credentials were refused: the password must be base64(HMAC-SHA1(secret, username)) and the key MD5(username:realm:password))"
                : "";
            throw new BenchmarkException($"{what}: {Describe(response)} instead of {success}{hint}");
        }

        if (!response.HasMessageIntegrity)
        {
            throw new BenchmarkException(
                $"{what}: the success response has no MESSAGE-INTEGRITY (RFC 8489 §9.2.4: a response to an authenticated request carries one)");
        }

        if (!response.CheckMessageIntegrity(_key))
        {
            throw new BenchmarkException($"{what}: the success response's MESSAGE-INTEGRITY is not made with the client's long-term key");
        }

        if (response.HasFingerprint && !response.CheckFingerprint())
        {
            throw new BenchmarkException($"{what}: the success response's FINGERPRINT is wrong");
        }
    }

    private void TakeRealmAndNonce(StunMessage response, string what)
    {
        if (!response.TryGet(out Realm realm) || !response.TryGet(out Nonce nonce))
        {
            throw new BenchmarkException($"{what}: the {Describe(response)} lacks REALM or NONCE");
        }

        if (realm.ToString() != _expectedRealm)
        {
            throw new BenchmarkException($"{what}: REALM is '{realm}', not '{_expectedRealm}' as configured");
        }

        if (_realm != _expectedRealm)
        {
            _realm = _expectedRealm;
            _key = _credentials.KeyFor(_realm);
        }

        _nonce = nonce.Utf8.ToArray();
    }

    private byte[] Build(StunMessageType type, AttributeWriter addAttributes, bool authenticate)
    {
        byte[] buffer = new byte[RequestBufferLength];
        var builder = new StunMessageBuilder(buffer, type, TransactionId.NewRandom());
        addAttributes(ref builder);
        if (authenticate)
        {
            builder.Add(new Username(_credentials.Username));
            builder.Add(new Realm(_realm));
            builder.Add(new Nonce(_nonce));
            builder.AddMessageIntegrity(_key);
        }

        builder.AddFingerprint();
        return buffer[..builder.Length];
    }

    private static void AddUdpTransport(ref StunMessageBuilder builder) =>
        builder.Add(new RequestedTransport(IpProtocol.Udp));

    private static bool IsError(StunMessage message, int code) =>
        message.Class == StunClass.ErrorResponse && message.TryGet(out ErrorCode error) && error.Code == code;

    /// <summary>"error 400 'Unknown method'", or the message type ("Allocate SuccessResponse").</summary>
    private static string Describe(StunMessage message) => message.Class != StunClass.ErrorResponse
        ? $"{message.Type}"
        : message.TryGet(out ErrorCode error)
            ? $"error {error.Code} '{error.Reason}'"
            : $"{message.Type} without ERROR-CODE";
}
