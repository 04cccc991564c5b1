using System.Net;
using System.Text;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

public sealed class RfcVectorTests
{
    private static readonly byte[] ShortTermKey = StunCredentials.ShortTermKey(Rfc5769Vectors.ShortTermPassword);
    private static readonly TransactionId VectorTransactionId = TransactionId.Read(Rfc5769Vectors.TransactionIdBytes);

    [Fact]
    public void The_sample_request_parses_with_its_attributes_integrity_and_fingerprint()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Request, out StunMessage message));

        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(VectorTransactionId, message.TransactionId);
        Assert.True(message.TryGet(out Software software));
        Assert.Equal("STUN test client", software.ToString());
        Assert.True(message.TryGet(out Priority priority));
        Assert.Equal(0x6e0001ffu, priority.Value);
        Assert.True(message.TryGet(out IceControlled controlled));
        Assert.Equal(0x932ff9b151263b36ul, controlled.TieBreaker);
        Assert.True(message.TryGet(out Username username));
        Assert.Equal("evtj:h6vY", username.ToString());
        Assert.True(message.CheckMessageIntegrity(ShortTermKey));
        Assert.False(message.CheckMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
        Assert.True(message.CheckFingerprint());
    }

    [Fact]
    public void The_sample_request_is_rebuilt_byte_for_byte()
    {
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, VectorTransactionId, paddingByte: 0x20);
        builder.Add(new Software("STUN test client"));
        builder.Add(new Priority(0x6e0001ff));
        builder.Add(new IceControlled(0x932ff9b151263b36));
        builder.Add(new Username("evtj:h6vY"));
        builder.AddMessageIntegrity(ShortTermKey);
        builder.AddFingerprint();

        Assert.Equal(Rfc5769Vectors.Request, builder.Message.ToArray());
    }

    [Theory]
    [InlineData(false, "192.0.2.1")]
    [InlineData(true, "2001:db8:1234:5678:11:2233:4455:6677")]
    public void The_sample_responses_decode_their_mapped_address_and_are_rebuilt_byte_for_byte(bool ipv6, string ip)
    {
        byte[] vector = ipv6 ? Rfc5769Vectors.IPv6Response : Rfc5769Vectors.IPv4Response;
        var expected = new IPEndPoint(IPAddress.Parse(ip), 32853);

        Assert.True(StunMessage.TryParse(vector, out StunMessage message));
        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.True(message.TryGet(out XorMappedAddress mapped));
        Assert.Equal(expected, mapped.Address.ToIPEndPoint());
        Assert.Equal("test vector", message.TryGet(out Software software) ? software.ToString() : null);
        Assert.True(message.CheckMessageIntegrity(ShortTermKey));
        Assert.True(message.CheckFingerprint());

        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingSuccess, VectorTransactionId, paddingByte: 0x20);
        builder.Add(new Software("test vector"));
        builder.Add(new XorMappedAddress(TransportAddress.FromIPEndPoint(expected)));
        builder.AddMessageIntegrity(ShortTermKey);
        builder.AddFingerprint();
        Assert.Equal(vector, builder.Message.ToArray());
    }

    [Fact]
    public void The_long_term_request_verifies_with_the_saslprepped_password_and_is_rebuilt_byte_for_byte()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.LongTermRequest, out StunMessage message));
        Assert.True(message.TryGet(out Username username));
        Assert.True(message.TryGet(out Nonce nonce));
        Assert.True(message.TryGet(out Realm realm));
        Assert.Equal(Rfc5769Vectors.LongTermUsername, username.ToString());
        Assert.Equal(Rfc5769Vectors.LongTermNonce, nonce.ToString());
        Assert.Equal(Rfc5769Vectors.LongTermRealm, realm.ToString());
        Assert.False(message.HasFingerprint);
        Assert.False(message.CheckFingerprint());

        byte[] key = StunCredentials.LongTermKey(username.ToString(), realm.ToString(), "TheMatrIX");
        Assert.Equal(key, StunCredentials.LongTermKey(Rfc5769Vectors.LongTermUsername, "example.org", "TheM\u00AAtr\u2168"));
        Assert.True(message.CheckMessageIntegrity(key));
        Assert.False(message.CheckMessageIntegrity(StunCredentials.LongTermKey(username.ToString(), "example.org", "thematrix")));

        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, message.TransactionId);
        builder.Add(new Username(Rfc5769Vectors.LongTermUsername));
        builder.Add(new Nonce(Rfc5769Vectors.LongTermNonce));
        builder.Add(new Realm(Rfc5769Vectors.LongTermRealm));
        builder.AddMessageIntegrity(key);
        Assert.Equal(Rfc5769Vectors.LongTermRequest, builder.Message.ToArray());
    }

    [Fact]
    public void The_rfc8489_sha256_request_verifies_its_userhash_and_integrity_and_is_rebuilt_byte_for_byte()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Sha256Request, out StunMessage message));
        Assert.True(message.TryGet(out UserHash userHash));
        Assert.Equal(StunCredentials.ComputeUserHash(Rfc5769Vectors.LongTermUsername, "example.org"), userHash.Hash.ToArray());
        Assert.True(message.TryGet(out PasswordAlgorithm algorithm));
        Assert.Equal(StunPasswordAlgorithm.Sha256, algorithm.Algorithm);
        Assert.True(message.TryGet(out Nonce nonce));
        Assert.Equal(Rfc5769Vectors.Sha256Nonce, nonce.ToString());
        Assert.True(message.HasMessageIntegritySha256);
        Assert.False(message.HasMessageIntegrity);

        byte[] key = StunCredentials.LongTermKey(Rfc5769Vectors.LongTermUsername, "example.org", "TheMatrIX",
            StunPasswordAlgorithm.Sha256);
        Assert.True(message.CheckMessageIntegritySha256(key));
        Assert.False(message.CheckMessageIntegritySha256(StunCredentials.LongTermKey(Rfc5769Vectors.LongTermUsername,
            "example.org", "TheMatrIX", StunPasswordAlgorithm.Md5)));

        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, message.TransactionId);
        builder.Add(new UserHash(StunCredentials.ComputeUserHash(Rfc5769Vectors.LongTermUsername, "example.org")));
        builder.Add(new Nonce(Rfc5769Vectors.Sha256Nonce));
        builder.Add(new Realm("example.org"));
        builder.Add(new PasswordAlgorithm(StunPasswordAlgorithm.Sha256));
        builder.AddMessageIntegritySha256(key);
        Assert.Equal(Rfc5769Vectors.Sha256Request, builder.Message.ToArray());
    }

    [Fact]
    public void A_truncated_sha256_integrity_of_16_bytes_still_verifies()
    {
        // RFC 8489 §14.6: the sender may truncate to 16 bytes; the HMAC is then computed with the length field
        // counting the 16-byte attribute. Computed here independently of the builder.
        byte[] key = Encoding.UTF8.GetBytes("secret");
        byte[] buffer = new byte[128];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username("alice"));
        int offset = builder.Length;
        builder.AddRaw(StunAttributeType.MessageIntegritySha256, new byte[16]);
        byte[] message = builder.Message.ToArray();
        byte[] mac = System.Security.Cryptography.HMACSHA256.HashData(key, message.AsSpan(0, offset));
        mac.AsSpan(0, 16).CopyTo(message.AsSpan(offset + 4));

        Assert.True(StunMessage.TryParse(message, out StunMessage parsed));
        Assert.True(parsed.CheckMessageIntegritySha256(key));
        Assert.False(parsed.CheckMessageIntegritySha256("other"u8));
    }
}
