using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.WebRtc.Ice;

/// <summary>
/// Answers ICE connectivity checks as an ICE-lite agent (RFC 8445 §2.5, §7.3): Binding requests carrying
/// <c>USERNAME = localUfrag:remoteUfrag</c>, MESSAGE-INTEGRITY keyed with the local password, and FINGERPRINT.
/// A valid check gets a success response with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT, and tells the
/// endpoint (nominating the pair on USE-CANDIDATE); a check with unknown or wrong credentials gets 401 and a
/// malformed one 400 (RFC 8445 §7.3.1.1, RFC 8489 §9.1.3); anything else is dropped. Stateless and allocation-free
/// (the ufrags are compared as characters decoded on the stack), so consent checks cost no garbage.
/// </summary>
public sealed class IceLiteResponder(IceEndpointLookup findByLocalUfrag)
{
    /// <summary>Longest ufrag looked up (RFC 8839 allows 256 characters).</summary>
    private const int MaxUfragLength = 256;

    /// <summary>Room for any response this writes.</summary>
    public const int MaxResponseLength = 256;

    private static readonly Software ServerSoftware = new("Parley");

    /// <summary>
    /// Handles one datagram from <paramref name="from"/>. Returns the length of the response written into
    /// <paramref name="response"/> (0: send nothing) and the endpoint the check was valid for, if it was.
    /// </summary>
    public int Handle(ReadOnlyMemory<byte> datagram, TransportAddress from, Span<byte> response, out IIceLiteEndpoint? endpoint)
    {
        int length = Answer(datagram, from, response, out endpoint, out bool nominated);
        endpoint?.OnValidCheck(from, nominated);
        return length;
    }

    /// <summary>
    /// As <see cref="Handle"/>, but leaves telling the endpoint of a valid check to the caller: an ICE-TCP
    /// connection binds itself rather than the source address. <paramref name="nominated"/> when the valid check
    /// carried USE-CANDIDATE.
    /// </summary>
    public int Answer(ReadOnlyMemory<byte> datagram, TransportAddress from, Span<byte> response, out IIceLiteEndpoint? endpoint,
        out bool nominated)
    {
        endpoint = null;
        nominated = false;
        if (!StunMessage.TryParse(datagram, out StunMessage request)
            || request.Type != StunMessageType.BindingRequest
            || !request.HasFingerprint
            || !request.CheckFingerprint())
        {
            // Not a check (ICE requires FINGERPRINT on every check, RFC 8445 §7.2.2), or a response or indication:
            // nothing to answer.
            return 0;
        }

        if (!request.TryGet(out Username username) || !request.HasMessageIntegrity || !request.Contains(StunAttributeType.Priority))
        {
            return Error(request, from, response, StunErrorCodes.BadRequest, key: null);
        }

        Span<char> local = stackalloc char[MaxUfragLength];
        Span<char> remote = stackalloc char[MaxUfragLength];
        if (!TrySplitUsername(username.Utf8.Span, out ReadOnlySpan<byte> localUfrag, out ReadOnlySpan<byte> remoteUfrag)
            || !TryDecode(localUfrag, local, out int localLength)
            || !TryDecode(remoteUfrag, remote, out int remoteLength)
            || findByLocalUfrag(local[..localLength]) is not { } found
            || (found.RemoteUfrag is { } expected && !remote[..remoteLength].SequenceEqual(expected)))
        {
            return Error(request, from, response, StunErrorCodes.Unauthenticated, key: null);
        }

        byte[] key = found.LocalCredentials.Key;
        if (!request.CheckMessageIntegrity(key))
        {
            return Error(request, from, response, StunErrorCodes.Unauthenticated, key: null);
        }

        if (request.Contains(StunAttributeType.IceControlled))
        {
            // Both sides controlled: a lite agent is always controlled, so the peer must switch (RFC 8445 §7.3.1.1).
            return Error(request, from, response, StunErrorCodes.RoleConflict, key);
        }

        endpoint = found;
        nominated = request.Contains(StunAttributeType.UseCandidate);
        var builder = new StunMessageBuilder(response, StunMessageType.BindingSuccess, request.TransactionId);
        builder.Add(new XorMappedAddress(from));
        builder.AddMessageIntegrity(key);
        builder.AddFingerprint();
        return builder.Length;
    }

    private static int Error(in StunMessage request, TransportAddress from, Span<byte> response, int code, byte[]? key)
    {
        var builder = new StunMessageBuilder(response, StunMessageType.BindingError, request.TransactionId);
        builder.Add(new ErrorCode(code, StunErrorCodes.GetReasonPhrase(code)));
        builder.Add(ServerSoftware);
        if (key is not null)
        {
            builder.AddMessageIntegrity(key);
        }

        builder.AddFingerprint();
        return builder.Length;
    }

    private static bool TryDecode(ReadOnlySpan<byte> utf8, Span<char> chars, out int length) =>
        System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out _, out length, replaceInvalidSequences: true)
            == System.Buffers.OperationStatus.Done;

    private static bool TrySplitUsername(ReadOnlySpan<byte> username, out ReadOnlySpan<byte> local, out ReadOnlySpan<byte> remote)
    {
        int colon = username.IndexOf((byte)':');
        local = colon > 0 ? username[..colon] : default;
        remote = colon > 0 ? username[(colon + 1)..] : default;
        return colon > 0 && remote.Length > 0;
    }
}

/// <summary>Finds the endpoint whose local ufrag this is (null: none).</summary>
public delegate IIceLiteEndpoint? IceEndpointLookup(ReadOnlySpan<char> localUfrag);
