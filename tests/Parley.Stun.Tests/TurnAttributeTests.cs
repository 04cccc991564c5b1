using System.Net;
using System.Net.Sockets;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>The TURN attributes (RFC 8656 §18, RFC 6062 §6.2): round trips through a whole message, the exact
/// bytes of each value, and refusal of every wrong length.</summary>
public sealed class TurnAttributeTests
{
    private static readonly TransactionId Id = TransactionId.Read(TurnVectors.ChannelBindTransactionId);

    private static T RoundTrip<T>(T attribute) where T : struct, IStunAttribute<T> =>
        AttributeWire.RoundTrip(attribute, StunMessageType.AllocateSuccess);

    /// <summary>The value bytes an attribute writes, under the fixed transaction id.</summary>
    private static byte[] ValueOf<T>(T attribute) where T : struct, IStunAttribute<T>
    {
        byte[] value = new byte[attribute.ValueLength];
        attribute.WriteValue(value, Id);
        return value;
    }

    [Theory]
    [InlineData("203.0.113.7", 1)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 65535)]
    [InlineData("2001:db8::1", 3478)]
    [InlineData("::ffff:127.0.0.1", 9)]
    [InlineData("::", 0)]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535)]
    public void Peer_and_relayed_addresses_round_trip_in_both_families(string ip, int port)
    {
        var address = TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Parse(ip), port));
        Assert.Equal(address, RoundTrip(new XorPeerAddress(address)).Address);
        Assert.Equal(address, RoundTrip(new XorRelayedAddress(address)).Address);
        Assert.Equal(address.IsIPv4 ? 8 : 20, new XorPeerAddress(address).ValueLength);
    }

    [Fact]
    public void Peer_and_relayed_addresses_are_coded_as_xor_mapped_address_is()
    {
        var v4 = TransportAddress.FromIPEndPoint(IPEndPoint.Parse("192.0.2.77:5000"));
        var v6 = TransportAddress.FromIPEndPoint(IPEndPoint.Parse("[2001:db8:cafe::2]:6000"));
        foreach (TransportAddress address in new[] { v4, v6 })
        {
            byte[] mapped = ValueOf(new XorMappedAddress(address));
            Assert.Equal(mapped, ValueOf(new XorPeerAddress(address)));
            Assert.Equal(mapped, ValueOf(new XorRelayedAddress(address)));
        }

        Assert.Equal(Hex.Parse("00 01 32 9a e1 12 a6 0f"), ValueOf(new XorPeerAddress(v4)));
        Assert.Equal(Hex.Parse("00 02 36 62 01 13 a9 fa 0a 01 ee 00 11 22 33 44 55 66 77 8a"), ValueOf(new XorPeerAddress(v6)));
    }

    [Fact]
    public void Scalar_attributes_round_trip()
    {
        Assert.Equal(0u, RoundTrip(new Lifetime(0)).Seconds);
        Assert.Equal(uint.MaxValue, RoundTrip(new Lifetime(uint.MaxValue)).Seconds);
        Assert.Equal(TimeSpan.FromMinutes(10), new Lifetime(600).Duration);
        Assert.Equal(0x4000, RoundTrip(new ChannelNumber(0x4000)).Number);
        Assert.Equal(0x4FFF, RoundTrip(new ChannelNumber(0x4FFF)).Number);
        Assert.Equal(0xFFFF, RoundTrip(new ChannelNumber(0xFFFF)).Number); // read, and left to IsValid
        Assert.Equal(IpProtocol.Udp, RoundTrip(new RequestedTransport(IpProtocol.Udp)).Protocol);
        Assert.Equal(IpProtocol.Tcp, RoundTrip(new RequestedTransport(IpProtocol.Tcp)).Protocol);
        Assert.Equal((IpProtocol)132, RoundTrip(new RequestedTransport((IpProtocol)132)).Protocol); // SCTP: 442, not 400
        RoundTrip(new DontFragment());
        Assert.True(RoundTrip(new EvenPort(true)).ReserveNextPort);
        Assert.False(RoundTrip(new EvenPort(false)).ReserveNextPort);
        Assert.Equal(0x0123456789abcdeful, RoundTrip(new ReservationToken(0x0123456789abcdef)).Token);
        Assert.Equal(StunAddressFamily.IPv4, RoundTrip(new RequestedAddressFamily(StunAddressFamily.IPv4)).Family);
        Assert.Equal(StunAddressFamily.IPv6, RoundTrip(new RequestedAddressFamily(StunAddressFamily.IPv6)).Family);
        Assert.Equal((StunAddressFamily)3, RoundTrip(new RequestedAddressFamily((StunAddressFamily)3)).Family); // 440, not 400
        Assert.Equal(StunAddressFamily.IPv6, RoundTrip(new AdditionalAddressFamily(StunAddressFamily.IPv6)).Family);
        Assert.Equal(StunAddressFamily.IPv4, RoundTrip(new AdditionalAddressFamily(StunAddressFamily.IPv4)).Family);
        Assert.Equal(new Icmp(3, 4, 1400), RoundTrip(new Icmp(3, 4, 1400)));
        Assert.Equal(new Icmp(255, 255, uint.MaxValue), RoundTrip(new Icmp(255, 255, uint.MaxValue)));
        Assert.Equal(0xDEADBEEFu, RoundTrip(new ConnectionId(0xDEADBEEF)).Value);
        Assert.Equal(0u, RoundTrip(new ConnectionId(0)).Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    [InlineData(1200)]
    [InlineData(65535 - 28)] // the most a Send indication to an IPv4 peer can carry
    public void Data_round_trips_at_any_length(int length)
    {
        byte[] bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        byte[] buffer = new byte[StunMessageBuilder.MaxMessageLength];
        var builder = new StunMessageBuilder(buffer, StunMessageType.SendIndication, TransactionId.NewRandom());
        builder.Add(new XorPeerAddress(TransportAddress.FromIPEndPoint(IPEndPoint.Parse("192.0.2.1:1"))));
        builder.Add(new Data(bytes));
        Assert.True(StunMessage.TryParse(buffer.AsMemory(0, builder.Length), out StunMessage message));
        Assert.True(message.TryGet(out Data data));
        Assert.Equal(bytes, data.Bytes.ToArray());
    }

    [Theory]
    [InlineData(StunAddressFamily.IPv4, 440)]
    [InlineData(StunAddressFamily.IPv6, 508)]
    public void Address_error_codes_round_trip_with_their_family_and_reason(StunAddressFamily family, int code)
    {
        AddressErrorCode read = RoundTrip(new AddressErrorCode(family, code));
        Assert.Equal(family, read.Family);
        Assert.Equal(code, read.Code);
        Assert.Equal(StunErrorCodes.GetReasonPhrase(code).ToArray(), read.ReasonUtf8.ToArray());

        AddressErrorCode custom = RoundTrip(new AddressErrorCode(family, code, "No IPv6 relay here"));
        Assert.Equal("No IPv6 relay here", custom.Reason);
        Assert.Equal($"{family}: {code} No IPv6 relay here", custom.ToString());
    }

    [Fact]
    public void Each_value_has_the_bytes_rfc_8656_draws()
    {
        Assert.Equal(Hex.Parse("00 00 02 58"), ValueOf(new Lifetime(600)));
        Assert.Equal(Hex.Parse("40 01 00 00"), ValueOf(new ChannelNumber(0x4001)));            // number, RFFU
        Assert.Equal(Hex.Parse("11 00 00 00"), ValueOf(new RequestedTransport(IpProtocol.Udp))); // protocol, RFFU
        Assert.Equal(Hex.Parse("06 00 00 00"), ValueOf(new RequestedTransport(IpProtocol.Tcp)));
        Assert.Empty(ValueOf(new DontFragment()));
        Assert.Equal(Hex.Parse("80"), ValueOf(new EvenPort(true)));                             // R bit, RFFU
        Assert.Equal(Hex.Parse("00"), ValueOf(new EvenPort(false)));
        Assert.Equal(Hex.Parse("01 23 45 67 89 ab cd ef"), ValueOf(new ReservationToken(0x0123456789abcdef)));
        Assert.Equal(Hex.Parse("01 00 00 00"), ValueOf(new RequestedAddressFamily(StunAddressFamily.IPv4)));
        Assert.Equal(Hex.Parse("02 00 00 00"), ValueOf(new AdditionalAddressFamily(StunAddressFamily.IPv6)));
        Assert.Equal(Hex.Parse("""
            02 00 04 28   # family IPv6, reserved, class 4, number 40
            41 64 64 72   # "Address Family not Supported"
            65 73 73 20 46 61 6d 69 6c 79 20 6e 6f 74 20 53 75 70 70 6f 72 74 65 64
            """), ValueOf(new AddressErrorCode(StunAddressFamily.IPv6, 440)));
        Assert.Equal(Hex.Parse("01 00 05 08 49 6e 73 75 66 66 69 63 69 65 6e 74 20 43 61 70 61 63 69 74 79"),
            ValueOf(new AddressErrorCode(StunAddressFamily.IPv4, 508)));                      // "Insufficient Capacity"
        Assert.Equal(Hex.Parse("00 00 03 04 00 00 05 78"), ValueOf(new Icmp(3, 4, 1400)));     // reserved, type, code, MTU
        Assert.Equal(Hex.Parse("00 00 00 2a"), ValueOf(new ConnectionId(42)));
    }

    [Fact]
    public void Reserved_bits_are_ignored_on_reading()
    {
        Assert.True(ChannelNumber.TryRead(Hex.Parse("40 02 ff ff"), Id, out ChannelNumber channel));
        Assert.Equal(0x4002, channel.Number);
        Assert.True(RequestedTransport.TryRead(Hex.Parse("11 ff ff ff"), Id, out RequestedTransport transport));
        Assert.Equal(IpProtocol.Udp, transport.Protocol);
        Assert.True(EvenPort.TryRead(Hex.Parse("7f"), Id, out EvenPort even));
        Assert.False(even.ReserveNextPort);
        Assert.True(EvenPort.TryRead(Hex.Parse("ff"), Id, out even));
        Assert.True(even.ReserveNextPort);
        Assert.True(RequestedAddressFamily.TryRead(Hex.Parse("02 ff ff ff"), Id, out RequestedAddressFamily requested));
        Assert.Equal(StunAddressFamily.IPv6, requested.Family);
        Assert.True(AddressErrorCode.TryRead(Hex.Parse("01 ff fd 08"), Id, out AddressErrorCode addressError));
        Assert.Equal(508, addressError.Code);
        Assert.Equal(StunAddressFamily.IPv4, addressError.Family);
        Assert.True(Icmp.TryRead(Hex.Parse("ff ff 01 00 00 00 00 00"), Id, out Icmp icmp));
        Assert.Equal(new Icmp(1, 0, 0), icmp);
    }

    public static TheoryData<string, int> FixedLengths => new()
    {
        { nameof(XorPeerAddress), 8 },
        { nameof(XorRelayedAddress), 8 },
        { nameof(Lifetime), 4 },
        { nameof(ChannelNumber), 4 },
        { nameof(RequestedTransport), 4 },
        { nameof(DontFragment), 0 },
        { nameof(EvenPort), 1 },
        { nameof(ReservationToken), 8 },
        { nameof(RequestedAddressFamily), 4 },
        { nameof(AdditionalAddressFamily), 4 },
        { nameof(Icmp), 8 },
        { nameof(ConnectionId), 4 },
    };

    private static bool TryRead(string name, ReadOnlyMemory<byte> value) => name switch
    {
        nameof(XorPeerAddress) => XorPeerAddress.TryRead(value, Id, out _),
        nameof(XorRelayedAddress) => XorRelayedAddress.TryRead(value, Id, out _),
        nameof(Lifetime) => Lifetime.TryRead(value, Id, out _),
        nameof(ChannelNumber) => ChannelNumber.TryRead(value, Id, out _),
        nameof(RequestedTransport) => RequestedTransport.TryRead(value, Id, out _),
        nameof(DontFragment) => DontFragment.TryRead(value, Id, out _),
        nameof(EvenPort) => EvenPort.TryRead(value, Id, out _),
        nameof(ReservationToken) => ReservationToken.TryRead(value, Id, out _),
        nameof(RequestedAddressFamily) => RequestedAddressFamily.TryRead(value, Id, out _),
        nameof(AdditionalAddressFamily) => AdditionalAddressFamily.TryRead(value, Id, out _),
        nameof(Icmp) => Icmp.TryRead(value, Id, out _),
        nameof(ConnectionId) => ConnectionId.TryRead(value, Id, out _),
        nameof(AddressErrorCode) => AddressErrorCode.TryRead(value, Id, out _),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(FixedLengths))]
    public void Fixed_size_values_of_every_other_length_are_refused(string name, int length)
    {
        byte[] value = new byte[length + 8];
        value[1] = 0x01; // an IPv4 family for the address attributes; harmless elsewhere
        Assert.True(TryRead(name, value.AsMemory(0, length)));
        for (int other = 0; other < value.Length; other++)
        {
            if (other != length)
            {
                Assert.False(TryRead(name, value.AsMemory(0, other)), $"{name} of {other} bytes");
            }
        }
    }

    [Fact]
    public void Every_truncation_of_an_ipv6_address_value_is_refused()
    {
        byte[] value = Hex.Parse("00 02 36 62 01 13 a9 fa 0a 01 ee 00 11 22 33 44 55 66 77 8a");
        Assert.True(XorPeerAddress.TryRead(value, Id, out _));
        Assert.True(XorRelayedAddress.TryRead(value, Id, out _));
        for (int length = 0; length < value.Length; length++)
        {
            Assert.False(XorPeerAddress.TryRead(value.AsMemory(0, length), Id, out _), $"{length} bytes");
            Assert.False(XorRelayedAddress.TryRead(value.AsMemory(0, length), Id, out _), $"{length} bytes");
        }

        // An IPv6 family with an IPv4-sized address, and a family that is neither.
        Assert.False(XorPeerAddress.TryRead(Hex.Parse("00 02 32 9a e1 12 a6 0f"), Id, out _));
        Assert.False(XorRelayedAddress.TryRead(Hex.Parse("00 03 32 9a e1 12 a6 0f"), Id, out _));
    }

    [Fact]
    public void Malformed_address_error_codes_are_refused()
    {
        for (int length = 0; length < 4; length++)
        {
            Assert.False(AddressErrorCode.TryRead(Hex.Parse("02 00 04 28").AsMemory(0, length), Id, out _));
        }

        Assert.False(AddressErrorCode.TryRead(Hex.Parse("02 00 02 00"), Id, out _)); // class 2
        Assert.False(AddressErrorCode.TryRead(Hex.Parse("02 00 07 00"), Id, out _)); // class 7
        Assert.False(AddressErrorCode.TryRead(Hex.Parse("02 00 04 64"), Id, out _)); // number 100
        byte[] longReason = new byte[4 + 764];
        Hex.Parse("02 00 04 28").CopyTo(longReason, 0);
        Assert.False(AddressErrorCode.TryRead(longReason, Id, out _)); // a reason over 763 bytes
        Assert.True(AddressErrorCode.TryRead(longReason.AsMemory(0, 4 + 763), Id, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddressErrorCode(StunAddressFamily.IPv4, 299));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AddressErrorCode(StunAddressFamily.IPv4, 700));
        Assert.Throws<ArgumentException>(() => new AddressErrorCode(StunAddressFamily.IPv4, 440, new string('x', 764)));
    }

    [Theory]
    [InlineData(0x3FFF, false)]
    [InlineData(0x4000, true)]
    [InlineData(0x4ABC, true)]
    [InlineData(0x4FFF, true)]
    [InlineData(0x5000, true)]
    [InlineData(0x7FFF, true)] // RFC 5766's range, which clients still use
    [InlineData(0x8000, false)]
    [InlineData(0x0000, false)]
    public void Channel_numbers_are_valid_from_0x4000_to_0x7FFF(int number, bool valid)
    {
        Assert.Equal(valid, ChannelNumber.IsValidNumber((ushort)number));
        Assert.True(ChannelNumber.TryRead(new byte[] { (byte)(number >> 8), (byte)number, 0, 0 }, Id, out ChannelNumber read));
        Assert.Equal(valid, read.IsValid);
    }

    [Fact]
    public void Address_families_map_to_socket_families()
    {
        Assert.Equal(AddressFamily.InterNetwork, StunAddressFamily.IPv4.ToAddressFamily());
        Assert.Equal(AddressFamily.InterNetworkV6, StunAddressFamily.IPv6.ToAddressFamily());
        Assert.Equal(AddressFamily.Unknown, ((StunAddressFamily)3).ToAddressFamily());
        Assert.Equal(StunAddressFamily.IPv4, TransportAddress.FromIPEndPoint(IPEndPoint.Parse("192.0.2.1:1")).GetStunFamily());
        Assert.Equal(StunAddressFamily.IPv6, TransportAddress.FromIPEndPoint(IPEndPoint.Parse("[::1]:1")).GetStunFamily());
    }

    [Fact]
    public void Data_longer_than_an_attribute_can_be_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => new Data(new byte[65536]));
    }

    [Fact]
    public void The_turn_error_codes_have_their_rfc_reason_phrases()
    {
        (int Code, string Phrase)[] expected =
        [
            (403, "Forbidden"), (437, "Allocation Mismatch"), (438, "Stale Nonce"), (440, "Address Family not Supported"),
            (441, "Wrong Credentials"), (442, "Unsupported Transport Protocol"), (443, "Peer Address Family Mismatch"),
            (446, "Connection Already Exists"), (447, "Connection Timeout or Failure"), (486, "Allocation Quota Reached"),
            (508, "Insufficient Capacity"),
        ];
        foreach ((int code, string phrase) in expected)
        {
            Assert.Equal(phrase, System.Text.Encoding.UTF8.GetString(StunErrorCodes.GetReasonPhrase(code).Span));
        }
    }
}
