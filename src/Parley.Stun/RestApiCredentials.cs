using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Stun;

/// <summary>
/// coturn's REST API ephemeral credentials (draft-uberti-behave-turn-rest, coturn's <c>use-auth-secret</c>): the
/// username is <c>"&lt;unix-expiry&gt;:&lt;user&gt;"</c> (or the expiry alone) and the password
/// <c>base64(HMAC-SHA1(secret, username))</c>, so any server holding the secret checks them without a user list.
/// </summary>
public static class RestApiCredentials
{
    /// <summary>Mints a username and password valid until <paramref name="expires"/>.</summary>
    public static (string Username, string Password) Create(string secret, string user, DateTimeOffset expires)
    {
        string username = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            + (string.IsNullOrEmpty(user) ? "" : ":" + user);
        return (username, ComputePassword(secret, username));
    }

    public static string ComputePassword(string secret, string username) =>
        Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));

    /// <summary>The expiry a REST username carries in its leading digits; false when it carries none.</summary>
    public static bool TryGetExpiry(string username, out DateTimeOffset expires)
    {
        expires = default;
        int separator = username.IndexOf(':', StringComparison.Ordinal);
        ReadOnlySpan<char> digits = separator < 0 ? username : username.AsSpan(0, separator);
        if (digits.IsEmpty || digits.Length > 12
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
