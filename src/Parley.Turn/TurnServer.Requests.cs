using System.Net;
using System.Net.Sockets;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.StunServer;

namespace Parley.Turn;

/// <summary>The TURN methods: Allocate (RFC 8656 §7.2), Refresh (§7.3), CreatePermission (§9), ChannelBind (§11) and
/// the Send indication (§10).</summary>
public sealed partial class TurnServer
{
    /// <summary>Large enough for any answer written here.</summary>
    private const int MaxResponseLength = 1024;

    private static readonly Func<StunAttributeType, bool> Understood = IsUnderstood;

    [ThreadStatic]
    private static byte[]? s_response;

    private void HandleStun(ReadOnlyMemory<byte> bytes, TransportAddress source, TransportAddress local,
        StunTransport transport, Allocation? allocation, ReplyTarget reply)
    {
        byte[] response = s_response ??= GC.AllocateUninitializedArray<byte>(MaxResponseLength, pinned: true);
        if (!StunMessage.TryParse(bytes, out StunMessage request))
        {
            if (StunMessage.IsWellFramedRequest(bytes.Span, out TransactionId id, out StunMethod method))
            {
                reply.Send(WriteError(response, method, id, StunErrorCodes.BadRequest, null, source));
            }

            return;
        }

        if (request.HasFingerprint && !request.CheckFingerprint())
        {
            return; // not STUN after all
        }

        if (request.Class == StunClass.Indication && request.Method == StunMethod.Send)
        {
            HandleSendIndication(request, allocation);
            return;
        }

        if (request.Class != StunClass.Request)
        {
            return;
        }

        StunMethod requestMethod = request.Method;
        if (requestMethod is not (StunMethod.Allocate or StunMethod.Refresh or StunMethod.CreatePermission
            or StunMethod.ChannelBind or StunMethod.Connect or StunMethod.ConnectionBind))
        {
            reply.Send(WriteError(response, requestMethod, request.TransactionId, StunErrorCodes.BadRequest, null, source));
            return;
        }

        int authError = _authenticator.Authenticate(request, source, allocation?.Credential, out TurnCredential? credential);
        if (authError != 0)
        {
            Interlocked.Increment(ref Counters.AuthFailuresField);
            if (_rateLimiter.TryAcquire(source))
            {
                TurnLog.Refused(Logger, requestMethod.ToString(), source.ToString(), authError);
                reply.Send(WriteError(response, requestMethod, request.TransactionId, authError, null, source));
            }

            return;
        }

        Span<StunAttributeType> unknown = stackalloc StunAttributeType[16];
        int unknownCount = request.GetUnknownComprehensionRequired(unknown, Understood);
        if (unknownCount > 0)
        {
            var builder = new StunMessageBuilder(response, request.Type.ToResponse(success: false), request.TransactionId);
            builder.Add(new ErrorCode(StunErrorCodes.UnknownAttribute));
            UnknownAttributes.WriteTo(ref builder, unknown[..unknownCount]);
            reply.Send(response.AsSpan(0, Sign(ref builder, credential!)));
            return;
        }

        if (allocation is not null && requestMethod != StunMethod.Allocate
            && allocation.Credential.Username != credential!.Username)
        {
            reply.Send(WriteError(response, requestMethod, request.TransactionId, StunErrorCodes.WrongCredentials, credential, source));
            return;
        }

        int length = requestMethod switch
        {
            StunMethod.Allocate => Allocate(request, credential!, source, local, transport, allocation, reply, response),
            StunMethod.Refresh => Refresh(request, credential!, allocation, reply, response),
            StunMethod.CreatePermission => CreatePermission(request, credential!, allocation, response),
            StunMethod.ChannelBind => ChannelBind(request, credential!, allocation, response),
            StunMethod.Connect => Connect(request, credential!, allocation, reply, response),
            _ => ConnectionBind(request, credential!, reply, response),
        };
        if (length > 0)
        {
            reply.Send(response.AsSpan(0, length));
        }
    }

    private int Allocate(in StunMessage request, TurnCredential credential, TransportAddress source, TransportAddress local,
        StunTransport transport, Allocation? existing, ReplyTarget reply, byte[] response)
    {
        TransactionId id = request.TransactionId;
        if (existing is not null)
        {
            // A retransmission of the request that made it gets the same answer (RFC 8656 §7.2); anything else 437.
            return existing.CreatedBy == id && existing.Credential.Username == credential.Username
                ? WriteAllocateSuccess(response, request, existing, source, reservation: null, addressError: null, credential)
                : Error(response, request, StunErrorCodes.AllocationMismatch, credential);
        }

        if (!request.TryGet(out RequestedTransport requested))
        {
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        bool tcp = requested.Protocol == IpProtocol.Tcp;
        if (!tcp && requested.Protocol != IpProtocol.Udp)
        {
            return Error(response, request, StunErrorCodes.UnsupportedTransportProtocol, credential);
        }

        bool hasEvenPort = request.TryGet(out EvenPort evenPort);
        bool hasToken = request.TryGet(out ReservationToken token);
        bool hasFamily = request.Contains(StunAttributeType.RequestedAddressFamily);
        bool hasAdditional = request.Contains(StunAttributeType.AdditionalAddressFamily);
        if ((hasEvenPort && hasToken) || (hasToken && (hasFamily || hasAdditional)) || (hasFamily && hasAdditional)
            || (tcp && (transport == StunTransport.Udp || hasEvenPort || hasToken || hasAdditional)))
        {
            // RFC 6062 §5.1: a TCP allocation is asked for over TCP or TLS, without EVEN-PORT or a reservation.
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        AddressFamily family = AddressFamily.InterNetwork;
        if (hasFamily)
        {
            if (!request.TryGet(out RequestedAddressFamily requestedFamily))
            {
                return Error(response, request, StunErrorCodes.AddressFamilyNotSupported, credential);
            }

            family = requestedFamily.Family.ToAddressFamily();
        }

        bool dual = false;
        if (hasAdditional)
        {
            if (!request.TryGet(out AdditionalAddressFamily additional)
                || additional.Family.ToAddressFamily() != AddressFamily.InterNetworkV6)
            {
                return Error(response, request, StunErrorCodes.BadRequest, credential);
            }

            dual = true;
        }

        if (!TryReserveQuota(credential.Username, out int quotaError))
        {
            return Error(response, request, quotaError, credential);
        }

        var relays = new List<RelayEndpoint>(2);
        ulong reservationToken = 0;
        int? addressError = null;
        try
        {
            Socket? socket;
            if (hasToken)
            {
                if (!_ports.TryClaim(token.Token, out socket))
                {
                    ReleaseQuota(credential.Username);
                    return Error(response, request, StunErrorCodes.InsufficientCapacity, credential);
                }
            }
            else if (RelayIpFor(family, local) is not { } ip)
            {
                ReleaseQuota(credential.Username);
                return Error(response, request, StunErrorCodes.AddressFamilyNotSupported, credential);
            }
            else if (tcp ? !_ports.TryBindTcp(ip, out socket)
                : !_ports.TryBind(ip, hasEvenPort, hasEvenPort && evenPort.ReserveNextPort, out socket, out reservationToken))
            {
                ReleaseQuota(credential.Username);
                return Error(response, request, StunErrorCodes.InsufficientCapacity, credential);
            }

            relays.Add(new RelayEndpoint(socket!, Announce(socket!)));
            if (dual)
            {
                // RFC 8656 §7.2: the IPv4 allocation stands even when the IPv6 one cannot be made.
                if (RelayIpFor(AddressFamily.InterNetworkV6, local) is { } ip6
                    && _ports.TryBind(ip6, false, false, out Socket? socket6, out _))
                {
                    relays.Add(new RelayEndpoint(socket6!, Announce(socket6!)));
                }
                else
                {
                    addressError = StunErrorCodes.InsufficientCapacity;
                }
            }
        }
        catch
        {
            foreach (RelayEndpoint relay in relays)
            {
                relay.Socket.Dispose();
            }

            ReleaseQuota(credential.Username);
            throw;
        }

        if (!tcp && request.Contains(StunAttributeType.DontFragment))
        {
            // RFC 8656 §7.2: the client asked that datagrams to peers go with DF set (IPv4; IPv6 never fragments en route).
            foreach (RelayEndpoint relay in relays)
            {
                if (relay.Family == AddressFamily.InterNetwork)
                {
                    relay.Socket.DontFragment = true;
                }
            }
        }

        TimeSpan lifetime = LifetimeFor(request);
        ITurnClientLink link = reply.CreateLink(source);
        var allocation = new Allocation(this, link, local, credential, id, [.. relays],
            (_time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds(), _options.MaxBps, tcp);
        Add(allocation, (link as StreamClientLink)?.Connection);
        TurnLog.AllocationCreated(Logger, allocation.ToString(), (uint)lifetime.TotalSeconds);
        return WriteAllocateSuccess(response, request, allocation, source,
            reservationToken != 0 ? reservationToken : null, addressError, credential);
    }

    private int WriteAllocateSuccess(byte[] response, in StunMessage request, Allocation allocation, TransportAddress source,
        ulong? reservation, int? addressError, TurnCredential credential)
    {
        var builder = new StunMessageBuilder(response, StunMessageType.AllocateSuccess, request.TransactionId);
        foreach (RelayEndpoint relay in allocation.Relays)
        {
            builder.Add(new XorRelayedAddress(relay.Announced));
        }

        long remaining = Math.Max(0, (allocation.ExpiresAt - Now) / 1000);
        builder.Add(new Lifetime((uint)remaining));
        if (reservation is { } token)
        {
            builder.Add(new ReservationToken(token));
        }

        if (addressError is { } code)
        {
            builder.Add(new AddressErrorCode(StunAddressFamily.IPv6, code));
        }

        builder.Add(new XorMappedAddress(source));
        return Sign(ref builder, credential);
    }

    private int Refresh(in StunMessage request, TurnCredential credential, Allocation? allocation, ReplyTarget reply,
        byte[] response)
    {
        if (allocation is null)
        {
            return Error(response, request, StunErrorCodes.AllocationMismatch, credential);
        }

        if (request.TryGet(out RequestedAddressFamily family) && allocation.RelayFor(family.Family.ToAddressFamily()) is null)
        {
            return Error(response, request, StunErrorCodes.PeerAddressFamilyMismatch, credential);
        }

        var builder = new StunMessageBuilder(response, StunMessageType.RefreshSuccess, request.TransactionId);
        if (request.TryGet(out Lifetime requested) && requested.Seconds == 0)
        {
            // The allocation (and its quota) goes first; over TCP its connection closes once the answer is out.
            builder.Add(new Lifetime(0));
            int length = Sign(ref builder, credential);
            Remove(allocation, "refreshed with lifetime 0", closeConnection: false);
            reply.Send(response.AsSpan(0, length));
            (allocation.Client as StreamClientLink)?.Connection.Close();
            return 0;
        }

        TimeSpan lifetime = LifetimeFor(request);
        allocation.Refresh((_time.GetUtcNow() + lifetime).ToUnixTimeMilliseconds(), credential);
        builder.Add(new Lifetime((uint)lifetime.TotalSeconds));
        return Sign(ref builder, credential);
    }

    private int CreatePermission(in StunMessage request, TurnCredential credential, Allocation? allocation, byte[] response)
    {
        if (allocation is null)
        {
            return Error(response, request, StunErrorCodes.AllocationMismatch, credential);
        }

        int count = 0;
        foreach (StunAttribute attribute in request.GetAttributes())
        {
            if (attribute.Type != StunAttributeType.XorPeerAddress)
            {
                continue;
            }

            if (!XorPeerAddress.TryRead(attribute.Value, request.TransactionId, out XorPeerAddress peer))
            {
                return Error(response, request, StunErrorCodes.BadRequest, credential);
            }

            int refusal = CheckPeer(allocation, peer.Address);
            if (refusal != 0)
            {
                return Error(response, request, refusal, credential);
            }

            count++;
        }

        if (count == 0)
        {
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        // All or none (RFC 8656 §9.2): every address was checked above before any is installed.
        long expiresAt = (_time.GetUtcNow() + PermissionLifetime).ToUnixTimeMilliseconds();
        foreach (StunAttribute attribute in request.GetAttributes())
        {
            if (attribute.Type == StunAttributeType.XorPeerAddress
                && XorPeerAddress.TryRead(attribute.Value, request.TransactionId, out XorPeerAddress peer))
            {
                allocation.InstallPermission(peer.Address, expiresAt);
            }
        }

        var builder = new StunMessageBuilder(response, StunMessageType.CreatePermissionSuccess, request.TransactionId);
        return Sign(ref builder, credential);
    }

    private int ChannelBind(in StunMessage request, TurnCredential credential, Allocation? allocation, byte[] response)
    {
        if (allocation is null)
        {
            return Error(response, request, StunErrorCodes.AllocationMismatch, credential);
        }

        if (allocation.IsTcp || !request.TryGet(out ChannelNumber channel) || !channel.IsValid
            || !request.TryGet(out XorPeerAddress peer))
        {
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        int refusal = CheckPeer(allocation, peer.Address);
        if (refusal != 0)
        {
            return Error(response, request, refusal, credential);
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (!allocation.TryBindChannel(channel.Number, peer.Address, (now + ChannelLifetime).ToUnixTimeMilliseconds()))
        {
            return Error(response, request, StunErrorCodes.BadRequest, credential);
        }

        allocation.InstallPermission(peer.Address, (now + PermissionLifetime).ToUnixTimeMilliseconds());
        var builder = new StunMessageBuilder(response, StunMessageType.ChannelBindSuccess, request.TransactionId);
        return Sign(ref builder, credential);
    }

    private void HandleSendIndication(in StunMessage indication, Allocation? allocation)
    {
        if (allocation is null || allocation.IsTcp || !indication.TryGet(out XorPeerAddress peer)
            || !indication.TryGet(out Data data))
        {
            Counters.Dropped();
            return;
        }

        allocation.SendToPeer(peer.Address, data.Bytes.Span);
    }

    /// <summary>0 when a permission or channel to the peer may be made; otherwise 443 (no relay of its family) or
    /// 403 (a refused address).</summary>
    private int CheckPeer(Allocation allocation, in TransportAddress peer)
    {
        if (allocation.RelayFor(peer.Family) is null)
        {
            return StunErrorCodes.PeerAddressFamilyMismatch;
        }

        return Policy.IsPermissionAllowed(peer) ? 0 : StunErrorCodes.Forbidden;
    }

    /// <summary>RFC 8656 §7.2/§7.3: the smaller of the request's LIFETIME and the maximum, but never below the
    /// default.</summary>
    private TimeSpan LifetimeFor(in StunMessage request)
    {
        if (!request.TryGet(out Lifetime requested))
        {
            return DefaultLifetime;
        }

        TimeSpan asked = TimeSpan.FromSeconds(Math.Min(requested.Seconds, _options.MaxAllocateLifetime.TotalSeconds));
        return asked > DefaultLifetime ? asked : DefaultLifetime;
    }

    private int Error(byte[] response, in StunMessage request, int code, TurnCredential? credential)
    {
        TurnLog.Refused(Logger, request.Method.ToString(), credential?.Username ?? "", code);
        return WriteError(response, request.Method, request.TransactionId, code, credential, default).Length;
    }

    /// <summary>
    /// An error answer. Unauthenticated ones (no credential) carry only what the RFC requires, no SOFTWARE, so that
    /// an answer to an unauthenticated request is no bigger than the RFC's error body; 401 and 438 add REALM, a
    /// fresh NONCE for the client's address and PASSWORD-ALGORITHMS.
    /// </summary>
    private ReadOnlySpan<byte> WriteError(byte[] response, StunMethod method, TransactionId id, int code,
        TurnCredential? credential, TransportAddress source)
    {
        var builder = new StunMessageBuilder(response, new StunMessageType(method, StunClass.ErrorResponse), id);
        builder.Add(new ErrorCode(code));
        if (code is StunErrorCodes.Unauthenticated or StunErrorCodes.StaleNonce)
        {
            builder.Add(new Realm(_authenticator.Realm));
            builder.Add(new Nonce(_authenticator.IssueNonce(source)));
            builder.Add(TurnAuthenticator.PasswordAlgorithms);
        }

        if (credential is not null)
        {
            return response.AsSpan(0, Sign(ref builder, credential));
        }

        builder.AddFingerprint();
        return response.AsSpan(0, builder.Length);
    }

    /// <summary>SOFTWARE, the integrity attribute the request used, keyed with its credential, and FINGERPRINT.</summary>
    private int Sign(ref StunMessageBuilder builder, TurnCredential credential)
    {
        builder.Add(_software);
        if (credential.Sha256Integrity)
        {
            builder.AddMessageIntegritySha256(credential.Key);
        }
        else
        {
            builder.AddMessageIntegrity(credential.Key);
        }

        builder.AddFingerprint();
        return builder.Length;
    }

    private static bool IsUnderstood(StunAttributeType type) => type switch
    {
        StunAttributeType.Username or StunAttributeType.Realm or StunAttributeType.Nonce
            or StunAttributeType.PasswordAlgorithm or StunAttributeType.MessageIntegrity
            or StunAttributeType.MessageIntegritySha256 or StunAttributeType.RequestedTransport
            or StunAttributeType.Lifetime or StunAttributeType.DontFragment or StunAttributeType.EvenPort
            or StunAttributeType.ReservationToken or StunAttributeType.RequestedAddressFamily
            or StunAttributeType.XorPeerAddress or StunAttributeType.ChannelNumber or StunAttributeType.Data
            or StunAttributeType.ConnectionId => true,
        _ => false,
    };
}
