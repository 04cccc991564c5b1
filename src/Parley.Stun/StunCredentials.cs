using System.Security.Cryptography;
using System.Text;

namespace Parley.Stun;

/// <summary>
/// Keys for MESSAGE-INTEGRITY (RFC 8489 §9): a short-term key is the prepared password; a long-term key is
/// MD5 (or SHA-256) of <c>username ":" realm ":" password</c>, each part prepared with <see cref="SaslPrep"/>.
/// </summary>
public static class StunCredentials
{
    public static byte[] ShortTermKey(string password) => Encoding.UTF8.GetBytes(SaslPrep.Prepare(password));

    public static byte[] LongTermKey(string username, string realm, string password,
        StunPasswordAlgorithm algorithm = StunPasswordAlgorithm.Md5)
    {
        byte[] input = Encoding.UTF8.GetBytes(
            $"{SaslPrep.Prepare(username)}:{SaslPrep.Prepare(realm)}:{SaslPrep.Prepare(password)}");
        return algorithm switch
        {
            StunPasswordAlgorithm.Md5 => MD5.HashData(input),
            StunPasswordAlgorithm.Sha256 => SHA256.HashData(input),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown password algorithm."),
        };
    }

    /// <summary>USERHASH (RFC 8489 §14.4): SHA-256 of <c>username ":" realm</c>, both prepared.</summary>
    public static byte[] ComputeUserHash(string username, string realm) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"{SaslPrep.Prepare(username)}:{SaslPrep.Prepare(realm)}"));
}
