namespace Parley.Stun.Attributes;

/// <summary>USERHASH (RFC 8489 §14.4): SHA-256 of <c>username ":" realm</c>, sent instead of USERNAME for
/// anonymity. See <see cref="StunCredentials.ComputeUserHash"/>.</summary>
public readonly struct UserHash : IStunAttribute<UserHash>
{
    public const int HashLength = 32;

    public UserHash(ReadOnlyMemory<byte> hash)
    {
        Hash = hash.Length == HashLength ? hash : throw new ArgumentException("A user hash is 32 bytes.", nameof(hash));
    }

    public static StunAttributeType Type => StunAttributeType.UserHash;

    public ReadOnlyMemory<byte> Hash { get; }

    public int ValueLength => HashLength;

    public static bool TryRead(ReadOnlyMemory<byte> value, in TransactionId transactionId, out UserHash attribute)
    {
        bool ok = value.Length == HashLength;
        attribute = ok ? new UserHash(value) : default;
        return ok;
    }

    public void WriteValue(Span<byte> destination, in TransactionId transactionId) => Hash.Span.CopyTo(destination);
}
