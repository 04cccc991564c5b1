using System.Collections.Frozen;
using System.Text;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn;

/// <summary>
/// Long-term credential checks (RFC 8489 §9.2) for TURN requests: a static user list and coturn's REST API
/// ephemeral credentials (expired usernames refused), realm and stateless nonces, MD5 or (when the client picks it
/// from PASSWORD-ALGORITHMS) SHA-256 keys, MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256. MACs are compared in
/// constant time.
/// </summary>
internal sealed class TurnAuthenticator
{
    private static readonly PasswordAlgorithms Offered = new(StunPasswordAlgorithm.Md5, StunPasswordAlgorithm.Sha256);

    private readonly string _realm;
    private readonly byte[] _realmUtf8;
    private readonly string? _secret;
    private readonly FrozenDictionary<string, string> _users;
    private readonly NonceIssuer _nonces;
    private readonly TimeProvider _time;

    public TurnAuthenticator(TurnServerOptions options, TimeProvider time)
    {
        _realm = options.Realm;
        _realmUtf8 = Encoding.UTF8.GetBytes(options.Realm);
        _secret = string.IsNullOrEmpty(options.StaticAuthSecret) ? null : options.StaticAuthSecret;
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in options.Users)
        {
            int colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidOperationException("Turn:Users entries are 'name:password'.");
            }

            if (!SaslPrep.TryPrepare(pair[..colon], out _) || !SaslPrep.TryPrepare(pair[(colon + 1)..], out _))
            {
                throw new InvalidOperationException($"Turn:Users entry for '{pair[..colon]}' has characters SASLprep refuses.");
            }

            users[pair[..colon]] = pair[(colon + 1)..];
        }

        _users = users.ToFrozenDictionary(StringComparer.Ordinal);
        _nonces = new NonceIssuer(time, options.NonceLifetime);
        _time = time;
    }

    public ReadOnlyMemory<byte> Realm => _realmUtf8;

    public static PasswordAlgorithms PasswordAlgorithms => Offered;

    public byte[] IssueNonce(in TransportAddress client) => _nonces.Issue(client);

    /// <summary>
    /// Checks a request. On success returns 0 and the credential; otherwise the error code to answer: 400 (integrity
    /// without the attributes it needs, or a password algorithm mismatch), 401 (no integrity, unknown user, expired
    /// REST username, wrong MAC) or 438 (a nonce that is stale or not ours). 401 and 438 answers carry REALM and a
    /// fresh NONCE. <paramref name="known"/>, when given, is the credential of the allocation the request is about:
    /// its key is reused when the username is the same.
    /// </summary>
    public int Authenticate(in StunMessage request, in TransportAddress source, TurnCredential? known,
        out TurnCredential? credential)
    {
        credential = null;
        bool sha256Integrity = request.HasMessageIntegritySha256;
        if (!request.HasMessageIntegrity && !sha256Integrity)
        {
            return StunErrorCodes.Unauthenticated;
        }

        if (!request.TryGet(out Username username) || !request.TryGet(out Realm _) || !request.TryGet(out Nonce nonce))
        {
            return StunErrorCodes.BadRequest;
        }

        NonceState state = _nonces.Check(nonce.Utf8.Span, source);
        if (state != NonceState.Valid)
        {
            return StunErrorCodes.StaleNonce;
        }

        StunPasswordAlgorithm algorithm = StunPasswordAlgorithm.Md5;
        bool hasList = request.TryGet(out PasswordAlgorithms echoed);
        bool hasChoice = request.TryGet(out PasswordAlgorithm chosen);
        if (hasList != hasChoice)
        {
            return StunErrorCodes.BadRequest;
        }

        if (hasList)
        {
            // RFC 8489 §9.2.4: the list must be the one the server sent (no downgrade), the choice one of it.
            if (!echoed.Raw.Span.SequenceEqual(Offered.Raw.Span) || !Offered.Contains(chosen.Algorithm))
            {
                return StunErrorCodes.BadRequest;
            }

            algorithm = chosen.Algorithm;
        }

        string name = username.ToString();
        byte[] key;
        if (known is not null && known.Username == name && known.Algorithm == algorithm)
        {
            key = known.Key;
        }
        else if (SaslPrep.TryPrepare(name, out _) && LookUpPassword(name) is { } password)
        {
            // (a name SASLprep refuses is nobody's: LongTermKey would throw on it)
            key = StunCredentials.LongTermKey(name, _realm, password, algorithm);
        }
        else
        {
            return StunErrorCodes.Unauthenticated;
        }

        bool valid = sha256Integrity ? request.CheckMessageIntegritySha256(key) : request.CheckMessageIntegrity(key);
        if (!valid)
        {
            return StunErrorCodes.Unauthenticated;
        }

        credential = known is not null && ReferenceEquals(key, known.Key) && known.Sha256Integrity == sha256Integrity
            ? known
            : new TurnCredential(name, key, algorithm, sha256Integrity);
        return 0;
    }

    private string? LookUpPassword(string username)
    {
        if (_users.TryGetValue(username, out string? password))
        {
            return password;
        }

        if (_secret is not null && RestApiCredentials.TryGetExpiry(username, out DateTimeOffset expires)
            && expires > _time.GetUtcNow())
        {
            return RestApiCredentials.ComputePassword(_secret, username);
        }

        return null;
    }
}
