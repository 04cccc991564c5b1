using System.Net;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

public sealed class AttributeRoundTripTests
{
    private static T RoundTrip<T>(T attribute) where T : struct, IStunAttribute<T> =>
        AttributeWire.RoundTrip(attribute, StunMessageType.BindingSuccess);

    [Theory]
    [InlineData("203.0.113.7", 1)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 65535)]
    [InlineData("2001:db8::1", 3478)]
    [InlineData("::ffff:192.0.2.9", 9)]
    [InlineData("fe80::1:2:3:4", 7)]
    public void Address_attributes_round_trip(string ip, int port)
    {
        var address = TransportAddress.FromIPEndPoint(new IPEndPoint(IPAddress.Parse(ip), port));
        Assert.Equal(address, RoundTrip(new XorMappedAddress(address)).Address);
        Assert.Equal(address, RoundTrip(new MappedAddress(address)).Address);
        Assert.Equal(address, RoundTrip(new OtherAddress(address)).Address);
        Assert.Equal(address, RoundTrip(new ResponseOrigin(address)).Address);
        Assert.Equal(address, RoundTrip(new AlternateServer(address)).Address);
    }

    [Fact]
    public void Scalar_and_text_attributes_round_trip()
    {
        Assert.Equal(0xDEADBEEFu, RoundTrip(new Priority(0xDEADBEEF)).Value);
        Assert.Equal(ulong.MaxValue, RoundTrip(new IceControlling(ulong.MaxValue)).TieBreaker);
        Assert.Equal(42ul, RoundTrip(new IceControlled(42)).TieBreaker);
        RoundTrip(new UseCandidate());
        Assert.Equal(new ChangeRequest(true, false), RoundTrip(new ChangeRequest(true, false)));
        Assert.Equal(new ChangeRequest(false, true), RoundTrip(new ChangeRequest(false, true)));
        Assert.Equal(40000, RoundTrip(new ResponsePort(40000)).Port);
        Assert.Equal(13, RoundTrip(new Padding(13)).Length);
        Assert.Equal("Grüße, 世界", RoundTrip(new Software("Grüße, 世界")).ToString());
        Assert.Equal("example.org", RoundTrip(new Realm("example.org")).ToString());
        Assert.Equal("n0nce", RoundTrip(new Nonce("n0nce")).ToString());
        Assert.Equal("turn.example.org", RoundTrip(new AlternateDomain("turn.example.org")).ToString());
        Assert.Equal(StunPasswordAlgorithm.Md5, RoundTrip(new PasswordAlgorithm(StunPasswordAlgorithm.Md5)).Algorithm);

        PasswordAlgorithms algorithms = RoundTrip(new PasswordAlgorithms(StunPasswordAlgorithm.Sha256, StunPasswordAlgorithm.Md5));
        Assert.True(algorithms.Contains(StunPasswordAlgorithm.Md5));
        Assert.True(algorithms.Contains(StunPasswordAlgorithm.Sha256));
        Assert.False(algorithms.Contains((StunPasswordAlgorithm)7));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(420)]
    [InlineData(438)]
    [InlineData(508)]
    [InlineData(699)]
    public void Error_codes_round_trip_with_their_reason_phrase(int code)
    {
        ErrorCode read = RoundTrip(new ErrorCode(code));
        Assert.Equal(code, read.Code);
        Assert.Equal(StunErrorCodes.GetReasonPhrase(code).ToArray(), read.ReasonUtf8.ToArray());
        Assert.Equal("Custom reason", RoundTrip(new ErrorCode(code, "Custom reason")).Reason);
    }

    [Fact]
    public void Error_codes_outside_300_to_699_cannot_be_built()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorCode(200));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorCode(700));
    }

    [Fact]
    public void Unknown_attributes_round_trip_in_order()
    {
        UnknownAttributes read = RoundTrip(new UnknownAttributes(StunAttributeType.ChangeRequest, (StunAttributeType)0x7777));
        Assert.Equal(2, read.Count);
        Assert.Equal(StunAttributeType.ChangeRequest, read[0]);
        Assert.Equal((StunAttributeType)0x7777, read[1]);
    }

    [Fact]
    public void Text_longer_than_the_rfc_limit_cannot_be_built()
    {
        Assert.Throws<ArgumentException>(() => new Software(new string('x', 764)));
        Assert.Throws<ArgumentException>(() => new Username(new string('x', 513)));
    }

    [Fact]
    public void A_builder_refuses_an_attribute_that_does_not_fit()
    {
        byte[] buffer = new byte[32];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
            builder.Add(new Software("more than twelve bytes"));
        });
    }

    [Fact]
    public void Padding_bytes_are_zero_and_the_length_field_counts_them()
    {
        Span<byte> buffer = stackalloc byte[64];
        var builder = new StunMessageBuilder(buffer, StunMessageType.BindingRequest, TransactionId.NewRandom());
        builder.Add(new Username("abcde"));
        Assert.Equal(32, builder.Length);
        Assert.Equal(12, buffer[3]);
        Assert.True(buffer.Slice(29, 3).SequenceEqual(new byte[3]));
    }
}
