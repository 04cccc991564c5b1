using System.Security.Cryptography;
using System.Text;

namespace Parley.Stun.Tests;

/// <summary>coturn's REST API credentials (use-auth-secret).</summary>
public sealed class RestApiCredentialsTests
{
    [Fact]
    public void The_password_is_the_base64_hmac_sha1_of_the_username_under_the_secret()
    {
        (string username, string password) = RestApiCredentials.Create("S", "alice", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        Assert.Equal("1800000000:alice", username);
        Assert.Equal(Convert.ToBase64String(HMACSHA1.HashData("S"u8, Encoding.UTF8.GetBytes(username))), password);
        Assert.Equal(password, RestApiCredentials.ComputePassword("S", username));
    }

    [Theory]
    [InlineData("1800000000:alice", 1_800_000_000L)]
    [InlineData("1800000000", 1_800_000_000L)]
    [InlineData("253402300799:max", 253_402_300_799L)]
    public void The_expiry_is_read_from_the_leading_digits(string username, long seconds)
    {
        Assert.True(RestApiCredentials.TryGetExpiry(username, out DateTimeOffset expires));
        Assert.Equal(seconds, expires.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("alice")]
    [InlineData(":alice")]
    [InlineData("")]
    [InlineData("-5:alice")]
    [InlineData("999999999999:past-year-9999")]
    [InlineData("1234567890123:too-many-digits")]
    [InlineData("12a4:alice")]
    public void Usernames_without_a_usable_expiry_are_not_rest_usernames(string username)
    {
        Assert.False(RestApiCredentials.TryGetExpiry(username, out _));
    }
}
