using System.Net;
using System.Net.Sockets;

namespace Parley.Stun.Tests;

public sealed class CredentialTests
{
    [Theory]
    [InlineData("I\u00ADX", "IX")]                 // soft hyphen mapped to nothing
    [InlineData("user", "user")]
    [InlineData("USER", "USER")]                   // no case folding
    [InlineData("\u00AA", "a")]                    // NFKC
    [InlineData("\u2168", "IX")]                   // NFKC
    [InlineData("a\u00A0b", "a b")]                // non-ASCII space to space
    [InlineData("TheM\u00AAtr\u2168", "TheMatrIX")] // RFC 5769 §2.4
    public void Saslprep_maps_and_normalises_as_rfc_4013_section_3_shows(string input, string expected)
    {
        Assert.True(SaslPrep.TryPrepare(input, out string prepared));
        Assert.Equal(expected, prepared);
    }

    [Theory]
    [InlineData("\u0007")]        // ASCII control
    [InlineData("a\u0085b")]      // non-ASCII control
    [InlineData("\uE000")]        // private use
    [InlineData("a\u200Eb")]      // left-to-right mark
    [InlineData("\uFFFE")]        // non-character
    [InlineData("\uD800x")]       // unpaired surrogate
    public void Saslprep_refuses_prohibited_characters(string input)
    {
        Assert.False(SaslPrep.TryPrepare(input, out _));
        Assert.Throws<ArgumentException>(() => StunCredentials.ShortTermKey(input));
    }

    [Fact]
    public void The_long_term_key_is_md5_of_username_realm_and_password()
    {
        // MD5("user:realm:pass"), computed independently.
        Assert.Equal("8493FBC53BA582FB4C044C456BDC40EB",
            Convert.ToHexString(StunCredentials.LongTermKey("user", "realm", "pass")));
    }

    [Theory]
    [InlineData("192.0.2.1", 32853)]
    [InlineData("2001:db8::7", 3478)]
    public void Transport_addresses_cross_socket_addresses_without_loss(string ip, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(ip), port);
        SocketAddress socketAddress = endPoint.Serialize();
        Assert.True(TransportAddress.TryFromSocketAddress(socketAddress, out TransportAddress address));
        Assert.Equal(endPoint, address.ToIPEndPoint());

        var target = new SocketAddress(endPoint.AddressFamily, socketAddress.Size);
        address.WriteTo(target);
        Assert.Equal(endPoint, (IPEndPoint)endPoint.Create(target));
        Assert.Equal(endPoint.AddressFamily == AddressFamily.InterNetwork, address.IsIPv4);
    }
}
