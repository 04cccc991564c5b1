namespace Parley.Stun;

/// <summary>STUN and TURN error codes (RFC 8489 §14.8, RFC 8656 §18, RFC 6062 §6.3) and their reason phrases.</summary>
public static class StunErrorCodes
{
    public const int TryAlternate = 300;
    public const int BadRequest = 400;
    public const int Unauthenticated = 401;
    public const int Forbidden = 403;
    public const int MobilityForbidden = 405;
    public const int UnknownAttribute = 420;
    public const int AllocationMismatch = 437;
    public const int StaleNonce = 438;
    public const int AddressFamilyNotSupported = 440;
    public const int WrongCredentials = 441;
    public const int UnsupportedTransportProtocol = 442;
    public const int PeerAddressFamilyMismatch = 443;
    public const int ConnectionAlreadyExists = 446;
    public const int ConnectionTimeoutOrFailure = 447;
    public const int AllocationQuotaReached = 486;
    public const int RoleConflict = 487;
    public const int ServerError = 500;
    public const int InsufficientCapacity = 508;

    private static readonly byte[] TryAlternatePhrase = "Try Alternate"u8.ToArray();
    private static readonly byte[] BadRequestPhrase = "Bad Request"u8.ToArray();
    private static readonly byte[] UnauthenticatedPhrase = "Unauthenticated"u8.ToArray();
    private static readonly byte[] ForbiddenPhrase = "Forbidden"u8.ToArray();
    private static readonly byte[] MobilityForbiddenPhrase = "Mobility Forbidden"u8.ToArray();
    private static readonly byte[] UnknownAttributePhrase = "Unknown Attribute"u8.ToArray();
    private static readonly byte[] AllocationMismatchPhrase = "Allocation Mismatch"u8.ToArray();
    private static readonly byte[] StaleNoncePhrase = "Stale Nonce"u8.ToArray();
    private static readonly byte[] AddressFamilyNotSupportedPhrase = "Address Family not Supported"u8.ToArray();
    private static readonly byte[] WrongCredentialsPhrase = "Wrong Credentials"u8.ToArray();
    private static readonly byte[] UnsupportedTransportProtocolPhrase = "Unsupported Transport Protocol"u8.ToArray();
    private static readonly byte[] PeerAddressFamilyMismatchPhrase = "Peer Address Family Mismatch"u8.ToArray();
    private static readonly byte[] ConnectionAlreadyExistsPhrase = "Connection Already Exists"u8.ToArray();
    private static readonly byte[] ConnectionTimeoutOrFailurePhrase = "Connection Timeout or Failure"u8.ToArray();
    private static readonly byte[] AllocationQuotaReachedPhrase = "Allocation Quota Reached"u8.ToArray();
    private static readonly byte[] RoleConflictPhrase = "Role Conflict"u8.ToArray();
    private static readonly byte[] ServerErrorPhrase = "Server Error"u8.ToArray();
    private static readonly byte[] InsufficientCapacityPhrase = "Insufficient Capacity"u8.ToArray();

    /// <summary>The RFC's reason phrase in UTF-8, from a static array (no allocation); empty for other codes.</summary>
    public static ReadOnlyMemory<byte> GetReasonPhrase(int code) => code switch
    {
        TryAlternate => TryAlternatePhrase,
        BadRequest => BadRequestPhrase,
        Unauthenticated => UnauthenticatedPhrase,
        Forbidden => ForbiddenPhrase,
        MobilityForbidden => MobilityForbiddenPhrase,
        UnknownAttribute => UnknownAttributePhrase,
        AllocationMismatch => AllocationMismatchPhrase,
        StaleNonce => StaleNoncePhrase,
        AddressFamilyNotSupported => AddressFamilyNotSupportedPhrase,
        WrongCredentials => WrongCredentialsPhrase,
        UnsupportedTransportProtocol => UnsupportedTransportProtocolPhrase,
        PeerAddressFamilyMismatch => PeerAddressFamilyMismatchPhrase,
        ConnectionAlreadyExists => ConnectionAlreadyExistsPhrase,
        ConnectionTimeoutOrFailure => ConnectionTimeoutOrFailurePhrase,
        AllocationQuotaReached => AllocationQuotaReachedPhrase,
        RoleConflict => RoleConflictPhrase,
        ServerError => ServerErrorPhrase,
        InsufficientCapacity => InsufficientCapacityPhrase,
        _ => ReadOnlyMemory<byte>.Empty,
    };
}
