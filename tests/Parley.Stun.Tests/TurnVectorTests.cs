using System.Net;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>The hand-built TURN messages of <see cref="TurnVectors"/>: each parses to the fields written in its
/// comments, verifies its integrity and fingerprint, and is rebuilt byte for byte.</summary>
public sealed class TurnVectorTests
{
    private static readonly TransactionId AllocateId = TransactionId.Read(TurnVectors.AllocateTransactionId);
    private static readonly TransactionId SendId = TransactionId.Read(TurnVectors.SendTransactionId);
    private static readonly TransactionId ChannelBindId = TransactionId.Read(TurnVectors.ChannelBindTransactionId);

    private static TransportAddress Address(string ip, int port) =>
        TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Parse(ip), port));

    [Fact]
    public void The_long_term_key_is_md5_of_username_realm_and_password()
    {
        Assert.Equal(TurnVectors.LongTermKey,
            StunCredentials.LongTermKey(TurnVectors.Username, TurnVectors.Realm, TurnVectors.Password));
    }

    [Fact]
    public void The_allocate_request_parses_with_its_attributes_integrity_and_fingerprint()
    {
        Assert.True(StunMessage.TryParse(TurnVectors.AllocateRequest, out StunMessage message));
        Assert.Equal(StunMessageType.AllocateRequest, message.Type);
        Assert.Equal(AllocateId, message.TransactionId);
        Assert.True(message.TryGet(out RequestedTransport transport));
        Assert.Equal(IpProtocol.Udp, transport.Protocol);
        Assert.True(message.TryGet(out Lifetime lifetime));
        Assert.Equal(3600u, lifetime.Seconds);
        Assert.Equal(TimeSpan.FromHours(1), lifetime.Duration);
        Assert.True(message.TryGet(out DontFragment _));
        Assert.True(message.TryGet(out AdditionalAddressFamily additional));
        Assert.Equal(StunAddressFamily.IPv6, additional.Family);
        Assert.False(message.Contains(StunAttributeType.RequestedAddressFamily));
        Assert.False(message.Contains(StunAttributeType.EvenPort));
        Assert.True(message.TryGet(out Username username));
        Assert.Equal(TurnVectors.Username, username.ToString());
        Assert.True(message.TryGet(out Realm realm));
        Assert.Equal(TurnVectors.Realm, realm.ToString());
        Assert.True(message.TryGet(out Nonce nonce));
        Assert.Equal(TurnVectors.Nonce, nonce.ToString());
        Assert.True(message.CheckMessageIntegrity(TurnVectors.LongTermKey));
        Assert.False(message.CheckMessageIntegrity(StunCredentials.LongTermKey("alice", "example.org", "S3cret")));
        Assert.True(message.CheckFingerprint());
    }

    [Fact]
    public void The_allocate_request_is_rebuilt_byte_for_byte()
    {
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.AllocateRequest, AllocateId);
        builder.Add(new RequestedTransport(IpProtocol.Udp));
        builder.Add(new Lifetime(3600));
        builder.Add(new DontFragment());
        builder.Add(new AdditionalAddressFamily(StunAddressFamily.IPv6));
        builder.Add(new Username(TurnVectors.Username));
        builder.Add(new Realm(TurnVectors.Realm));
        builder.Add(new Nonce(TurnVectors.Nonce));
        builder.AddMessageIntegrity(TurnVectors.LongTermKey);
        builder.AddFingerprint();
        Assert.Equal(TurnVectors.AllocateRequest, builder.Message.ToArray());
    }

    [Fact]
    public void The_allocate_success_response_carries_both_relayed_addresses_in_order()
    {
        Assert.True(StunMessage.TryParse(TurnVectors.AllocateSuccess, out StunMessage message));
        Assert.Equal(StunMessageType.AllocateSuccess, message.Type);
        Assert.Equal(AllocateId, message.TransactionId);

        var relayed = new List<TransportAddress>();
        foreach (StunAttribute attribute in message.GetAttributes())
        {
            if (attribute.Type == StunAttributeType.XorRelayedAddress)
            {
                Assert.True(XorRelayedAddress.TryRead(attribute.Value, message.TransactionId, out XorRelayedAddress read));
                relayed.Add(read.Address);
            }
        }

        Assert.Equal([Address("203.0.113.10", 49152), Address("2001:db8::10", 49153)], relayed);
        Assert.True(message.TryGet(out XorRelayedAddress first));
        Assert.Equal(Address("203.0.113.10", 49152), first.Address);
        Assert.True(message.TryGet(out Lifetime lifetime));
        Assert.Equal(3600u, lifetime.Seconds);
        Assert.True(message.TryGet(out XorMappedAddress mapped));
        Assert.Equal(Address("198.51.100.20", 54321), mapped.Address);
        Assert.True(message.CheckMessageIntegrity(TurnVectors.LongTermKey));
        Assert.True(message.CheckFingerprint());
    }

    [Fact]
    public void The_allocate_success_response_is_rebuilt_byte_for_byte()
    {
        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.AllocateSuccess, AllocateId);
        builder.Add(new XorRelayedAddress(Address("203.0.113.10", 49152)));
        builder.Add(new XorRelayedAddress(Address("2001:db8::10", 49153)));
        builder.Add(new Lifetime(3600));
        builder.Add(new XorMappedAddress(Address("198.51.100.20", 54321)));
        builder.AddMessageIntegrity(TurnVectors.LongTermKey);
        builder.AddFingerprint();
        Assert.Equal(TurnVectors.AllocateSuccess, builder.Message.ToArray());
    }

    [Fact]
    public void The_send_indication_gives_its_peer_and_data_and_is_rebuilt_byte_for_byte()
    {
        Assert.True(StunMessage.TryParse(TurnVectors.SendIndication, out StunMessage message));
        Assert.Equal(StunMessageType.SendIndication, message.Type);
        Assert.Equal(StunClass.Indication, message.Class);
        Assert.True(message.TryGet(out XorPeerAddress peer));
        Assert.Equal(Address("192.0.2.77", 5000), peer.Address);
        Assert.True(message.TryGet(out Data data));
        Assert.Equal("hello, peer"u8.ToArray(), data.Bytes.ToArray());
        Assert.False(message.HasMessageIntegrity);
        Assert.False(message.HasFingerprint);

        // DATA is a view: it points into the message, right after its attribute header.
        Assert.True(TurnVectors.SendIndication.AsSpan(36, 11).Overlaps(data.Bytes.Span, out int offset));
        Assert.Equal(0, offset);

        Span<byte> buffer = stackalloc byte[64];
        var builder = new StunMessageBuilder(buffer, StunMessageType.SendIndication, SendId);
        builder.Add(new XorPeerAddress(Address("192.0.2.77", 5000)));
        builder.Add(new Data("hello, peer"u8.ToArray()));
        Assert.Equal(TurnVectors.SendIndication, builder.Message.ToArray());

        // The same from a span, as a relay writes a Data indication from a datagram it just received.
        var fromSpan = new StunMessageBuilder(buffer, StunMessageType.SendIndication, SendId);
        fromSpan.Add(new XorPeerAddress(Address("192.0.2.77", 5000)));
        Data.WriteTo(ref fromSpan, "hello, peer"u8);
        Assert.Equal(TurnVectors.SendIndication, fromSpan.Message.ToArray());
    }

    [Fact]
    public void The_channel_bind_request_gives_its_channel_and_ipv6_peer_and_is_rebuilt_byte_for_byte()
    {
        Assert.True(StunMessage.TryParse(TurnVectors.ChannelBindRequest, out StunMessage message));
        Assert.Equal(StunMessageType.ChannelBindRequest, message.Type);
        Assert.Equal(ChannelBindId, message.TransactionId);
        Assert.True(message.TryGet(out ChannelNumber channel));
        Assert.Equal(0x4001, channel.Number);
        Assert.True(channel.IsValid);
        Assert.True(message.TryGet(out XorPeerAddress peer));
        Assert.Equal(Address("2001:db8:cafe::2", 6000), peer.Address);
        Assert.True(message.CheckMessageIntegrity(TurnVectors.LongTermKey));
        Assert.False(message.HasFingerprint);

        Span<byte> buffer = stackalloc byte[256];
        var builder = new StunMessageBuilder(buffer, StunMessageType.ChannelBindRequest, ChannelBindId);
        builder.Add(new ChannelNumber(0x4001));
        builder.Add(new XorPeerAddress(Address("2001:db8:cafe::2", 6000)));
        builder.Add(new Username(TurnVectors.Username));
        builder.Add(new Realm(TurnVectors.Realm));
        builder.Add(new Nonce(TurnVectors.Nonce));
        builder.AddMessageIntegrity(TurnVectors.LongTermKey);
        Assert.Equal(TurnVectors.ChannelBindRequest, builder.Message.ToArray());
    }

    [Fact]
    public void An_ipv6_xor_address_depends_on_the_transaction_id_and_an_ipv4_one_does_not()
    {
        // The same IPv6 peer read under another transaction id comes out different; an IPv4 one is the same.
        byte[] otherIdBytes = [.. TurnVectors.ChannelBindTransactionId];
        otherIdBytes[^1] ^= 0x01;
        var otherId = TransactionId.Read(otherIdBytes);

        Assert.True(StunMessage.TryParse(TurnVectors.ChannelBindRequest, out StunMessage channelBind));
        Assert.True(channelBind.TryGetAttribute(StunAttributeType.XorPeerAddress, out ReadOnlyMemory<byte> v6));
        Assert.True(XorPeerAddress.TryRead(v6, otherId, out XorPeerAddress misread));
        Assert.Equal(Address("2001:db8:cafe::3", 6000), misread.Address);

        Assert.True(StunMessage.TryParse(TurnVectors.SendIndication, out StunMessage send));
        Assert.True(send.TryGetAttribute(StunAttributeType.XorPeerAddress, out ReadOnlyMemory<byte> v4));
        Assert.True(XorPeerAddress.TryRead(v4, otherId, out XorPeerAddress same));
        Assert.Equal(Address("192.0.2.77", 5000), same.Address);
    }

    public static TheoryData<int> MessageIndexes => [0, 1, 2, 3];

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void Every_truncated_prefix_of_a_turn_vector_is_refused(int index)
    {
        byte[] vector = TurnVectors.Messages.ElementAt(index);
        for (int length = 0; length < vector.Length; length++)
        {
            Assert.False(StunMessage.TryParse(vector.AsMemory(0, length), out _), $"prefix of {length} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void A_flipped_bit_in_a_protected_turn_vector_breaks_its_integrity(int index)
    {
        byte[] vector = TurnVectors.Messages.ElementAt(index);
        Assert.True(StunMessage.TryParse(vector, out StunMessage original));
        if (!original.HasMessageIntegrity)
        {
            return;
        }

        for (int i = 0; i < vector.Length; i++)
        {
            byte[] copy = [.. vector];
            copy[i] ^= 0x10;
            if (StunMessage.TryParse(copy, out StunMessage parsed) && i < vector.Length - (original.HasFingerprint ? 8 : 0))
            {
                Assert.False(parsed.CheckMessageIntegrity(TurnVectors.LongTermKey), $"bit flipped at {i}");
            }
        }
    }
}
