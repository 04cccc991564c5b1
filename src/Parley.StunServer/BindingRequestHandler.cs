using System.Text;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.StunServer;

/// <summary>
/// Answers STUN Binding requests (RFC 8489 §6.3) and, when the server has an alternate address, the NAT behaviour
/// discovery attributes of RFC 5780 §6.1 (CHANGE-REQUEST, RESPONSE-PORT, PADDING, RESPONSE-ORIGIN,
/// OTHER-ADDRESS). Stateless and allocation-free: request bytes and context in, response bytes and route out.
/// What is not a STUN request, or fails its FINGERPRINT, is dropped without an answer (no reflection of junk);
/// a request with a valid header but malformed attributes gets 400, an unknown comprehension-required attribute
/// 420 with UNKNOWN-ATTRIBUTES, another method 400.
/// </summary>
public sealed class BindingRequestHandler
{
    /// <summary>Large enough for any response this handler writes, PADDING echo included.</summary>
    public const int MaxResponseLength = 1500;

    /// <summary>PADDING echoed into a response is capped so that a response fits <see cref="MaxResponseLength"/>.</summary>
    private const int MaxEchoedPadding = 1200;

    private static readonly Func<StunAttributeType, bool> UnderstoodWithoutGrid = static type => IsUnderstood(type, false);
    private static readonly Func<StunAttributeType, bool> UnderstoodWithGrid = static type => IsUnderstood(type, true);
    private static readonly byte[] UnknownMethodReason = "Unknown method"u8.ToArray();
    private static readonly byte[] MalformedReason = "Malformed request"u8.ToArray();
    private static readonly byte[] ChangeOverTcpReason = "CHANGE-REQUEST needs UDP"u8.ToArray();

    private readonly Software _software;

    public BindingRequestHandler(string software)
    {
        _software = new Software(Encoding.UTF8.GetBytes(software));
    }

    /// <summary>
    /// Handles one datagram or stream frame. Returns the response length written to <paramref name="response"/>
    /// (at least <see cref="MaxResponseLength"/> bytes), or 0 when nothing is to be sent.
    /// </summary>
    public int Handle(ReadOnlyMemory<byte> request, in StunRequestContext context, Span<byte> response,
        out StunResponseRoute route)
    {
        route = new StunResponseRoute(context.Source, context.SocketIndex);
        if (!StunMessage.TryParse(request, out StunMessage message))
        {
            return StunMessage.IsWellFramedRequest(request.Span, out TransactionId id, out StunMethod method)
                ? WriteError(response, method, id, StunErrorCodes.BadRequest, MalformedReason)
                : 0;
        }

        if (message.Class != StunClass.Request || (message.HasFingerprint && !message.CheckFingerprint()))
        {
            return 0; // indications (keep-alives) and responses get no answer; a bad FINGERPRINT means "not STUN"
        }

        if (message.Method != StunMethod.Binding)
        {
            return WriteError(response, message.Method, message.TransactionId, StunErrorCodes.BadRequest, UnknownMethodReason);
        }

        bool grid = context.Grid.HasValue;
        Span<StunAttributeType> unknown = stackalloc StunAttributeType[16];
        int unknownCount = message.GetUnknownComprehensionRequired(unknown, grid ? UnderstoodWithGrid : UnderstoodWithoutGrid);
        if (unknownCount > 0)
        {
            var builder = new StunMessageBuilder(response, StunMessageType.BindingError, message.TransactionId);
            builder.Add(new ErrorCode(StunErrorCodes.UnknownAttribute));
            UnknownAttributes.WriteTo(ref builder, unknown[..unknownCount]);
            builder.Add(_software);
            builder.AddFingerprint();
            return builder.Length;
        }

        int responseSocket = context.SocketIndex;
        TransportAddress destination = context.Source;
        TransportAddress origin = context.Local;
        if (context.Grid is { } layout)
        {
            if (message.TryGet(out ChangeRequest change) && (change.ChangeIp || change.ChangePort))
            {
                if (context.Transport != StunTransport.Udp)
                {
                    return WriteError(response, StunMethod.Binding, message.TransactionId, StunErrorCodes.BadRequest,
                        ChangeOverTcpReason);
                }

                int addressIndex = (context.SocketIndex >> 1) ^ (change.ChangeIp ? 1 : 0);
                int portIndex = (context.SocketIndex & 1) ^ (change.ChangePort ? 1 : 0);
                responseSocket = NatDiscoveryGrid.SocketIndex(addressIndex, portIndex);
                origin = layout.Get(addressIndex, portIndex);
            }

            if (context.Transport == StunTransport.Udp && message.TryGet(out ResponsePort responsePort))
            {
                destination = destination.WithPort(responsePort.Port);
            }
        }

        route = new StunResponseRoute(destination, responseSocket);
        var success = new StunMessageBuilder(response, StunMessageType.BindingSuccess, message.TransactionId);
        success.Add(new XorMappedAddress(context.Source));
        if (context.Grid is { } layoutForResponse)
        {
            // MAPPED-ADDRESS too: RFC 5780 clients of the RFC 3489 generation read it.
            success.Add(new MappedAddress(context.Source));
            success.Add(new ResponseOrigin(origin));
            int received = context.SocketIndex;
            success.Add(new OtherAddress(layoutForResponse.Get(1 - (received >> 1), 1 - (received & 1))));
            if (context.Transport == StunTransport.Udp && message.TryGet(out Padding padding))
            {
                success.Add(new Padding(Math.Min(padding.Length, MaxEchoedPadding) & ~3));
            }
        }

        success.Add(_software);
        success.AddFingerprint();
        return success.Length;
    }

    private int WriteError(Span<byte> response, StunMethod method, TransactionId id, int code, ReadOnlyMemory<byte> reason)
    {
        var builder = new StunMessageBuilder(response, new StunMessageType(method, StunClass.ErrorResponse), id);
        builder.Add(new ErrorCode(code, reason));
        builder.Add(_software);
        builder.AddFingerprint();
        return builder.Length;
    }

    private static bool IsUnderstood(StunAttributeType type, bool grid) => type switch
    {
        StunAttributeType.Username or StunAttributeType.UserHash or StunAttributeType.Realm or StunAttributeType.Nonce
            or StunAttributeType.PasswordAlgorithm or StunAttributeType.MessageIntegrity
            or StunAttributeType.MessageIntegritySha256 or StunAttributeType.Priority or StunAttributeType.UseCandidate => true,
        StunAttributeType.ChangeRequest or StunAttributeType.ResponsePort or StunAttributeType.Padding => grid,
        _ => false,
    };
}
