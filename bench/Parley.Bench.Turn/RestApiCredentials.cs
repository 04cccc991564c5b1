using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Parley.Stun;

namespace Parley.Bench.Turn;

/// <summary>
/// Ephemeral TURN credentials as coturn's "TURN REST API" mints them from a secret shared with the server
/// (draft-uberti-behave-turn-rest-00, coturn's --use-auth-secret): the username is
/// <c>"&lt;unix expiry time&gt;:&lt;user&gt;"</c> and the password is <c>base64(HMAC-SHA1(secret, username))</c>.
/// They are then used as ordinary long-term credentials (RFC 8489 §9.2): the MESSAGE-INTEGRITY key is
/// <c>MD5(username ":" realm ":" password)</c>.
/// </summary>
internal sealed record RestApiCredentials(string Username, string Password)
{
    /// <summary>Credentials for <paramref name="user"/> that expire at <paramref name="expiry"/>.</summary>
    public static RestApiCredentials Create(string secret, string user, DateTimeOffset expiry)
    {
        string username = string.Create(CultureInfo.InvariantCulture, $"{expiry.ToUnixTimeSeconds()}:{user}");
        byte[] mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username));
        return new RestApiCredentials(username, Convert.ToBase64String(mac));
    }

    /// <summary>The long-term key for the realm the server named in its 401.</summary>
    public byte[] KeyFor(string realm) => StunCredentials.LongTermKey(Username, realm, Password);
}
