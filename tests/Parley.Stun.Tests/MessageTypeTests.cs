namespace Parley.Stun.Tests;

public sealed class MessageTypeTests
{
    [Theory]
    [InlineData(StunMethod.Binding, StunClass.Request, 0x0001)]
    [InlineData(StunMethod.Binding, StunClass.Indication, 0x0011)]
    [InlineData(StunMethod.Binding, StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunMethod.Binding, StunClass.ErrorResponse, 0x0111)]
    [InlineData(StunMethod.Allocate, StunClass.Request, 0x0003)]
    [InlineData(StunMethod.Allocate, StunClass.ErrorResponse, 0x0113)]
    [InlineData(StunMethod.Send, StunClass.Indication, 0x0016)]
    [InlineData(StunMethod.Data, StunClass.Indication, 0x0017)]
    [InlineData(StunMethod.ChannelBind, StunClass.SuccessResponse, 0x0109)]
    [InlineData(StunMethod.ConnectionAttempt, StunClass.Request, 0x000C)]
    [InlineData((StunMethod)0xFFF, StunClass.ErrorResponse, 0x3FFF)]
    public void Method_and_class_bits_interleave_as_rfc_8489_section_5_draws_them(StunMethod method, StunClass @class, int wire)
    {
        var type = new StunMessageType(method, @class);
        Assert.Equal(wire, type.Value);
        Assert.True(StunMessageType.TryFromValue((ushort)wire, out StunMessageType decoded));
        Assert.Equal(type, decoded);
    }

    [Fact]
    public void Every_14_bit_value_round_trips_and_the_top_bits_are_refused()
    {
        for (int value = 0; value < 0x4000; value++)
        {
            Assert.True(StunMessageType.TryFromValue((ushort)value, out StunMessageType type));
            Assert.Equal(value, type.Value);
        }

        Assert.False(StunMessageType.TryFromValue(0x4001, out _));
        Assert.False(StunMessageType.TryFromValue(0x8001, out _));
    }
}
