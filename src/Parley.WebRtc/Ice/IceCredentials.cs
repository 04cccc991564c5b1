using System.Security.Cryptography;

namespace Parley.WebRtc.Ice;

/// <summary>
/// A transport's ICE username fragment and password (RFC 8445 §5.3, RFC 8839 §5.4): random <c>ice-char</c>s,
/// 8 for the fragment (the minimum is 4) and 24 for the password (the minimum is 22). The password is the
/// short-term key of MESSAGE-INTEGRITY on connectivity checks.
/// </summary>
public sealed record IceCredentials(string Ufrag, string Password)
{
    /// <summary>The MESSAGE-INTEGRITY key of checks (RFC 8489 §9.1.1), prepared once.</summary>
    internal byte[] Key { get; } = Parley.Stun.StunCredentials.ShortTermKey(Password);

    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static IceCredentials Create() =>
        new(RandomNumberGenerator.GetString(IceChars, 8), RandomNumberGenerator.GetString(IceChars, 24));
}
