namespace Parley.Stun.Tests;

public sealed class TurnMessageTypeTests
{
    public static TheoryData<string, int> Helpers => new()
    {
        { nameof(StunMessageType.AllocateRequest), 0x0003 },
        { nameof(StunMessageType.AllocateSuccess), 0x0103 },
        { nameof(StunMessageType.AllocateError), 0x0113 },
        { nameof(StunMessageType.RefreshRequest), 0x0004 },
        { nameof(StunMessageType.RefreshSuccess), 0x0104 },
        { nameof(StunMessageType.RefreshError), 0x0114 },
        { nameof(StunMessageType.SendIndication), 0x0016 },
        { nameof(StunMessageType.DataIndication), 0x0017 },
        { nameof(StunMessageType.CreatePermissionRequest), 0x0008 },
        { nameof(StunMessageType.CreatePermissionSuccess), 0x0108 },
        { nameof(StunMessageType.CreatePermissionError), 0x0118 },
        { nameof(StunMessageType.ChannelBindRequest), 0x0009 },
        { nameof(StunMessageType.ChannelBindSuccess), 0x0109 },
        { nameof(StunMessageType.ChannelBindError), 0x0119 },
        { nameof(StunMessageType.ConnectRequest), 0x000A },
        { nameof(StunMessageType.ConnectSuccess), 0x010A },
        { nameof(StunMessageType.ConnectError), 0x011A },
        { nameof(StunMessageType.ConnectionBindRequest), 0x000B },
        { nameof(StunMessageType.ConnectionBindSuccess), 0x010B },
        { nameof(StunMessageType.ConnectionBindError), 0x011B },
        { nameof(StunMessageType.ConnectionAttemptIndication), 0x001C },
    };

    [Theory]
    [MemberData(nameof(Helpers))]
    public void Turn_message_type_helpers_have_their_wire_values(string name, int wire)
    {
        var type = (StunMessageType)typeof(StunMessageType).GetProperty(name)!.GetValue(null)!;
        Assert.Equal(wire, type.Value);
        Assert.True(StunMessageType.TryFromValue((ushort)wire, out StunMessageType decoded));
        Assert.Equal(type, decoded);
    }

    [Fact]
    public void Responses_to_turn_requests_keep_their_method()
    {
        Assert.Equal(StunMessageType.AllocateSuccess, StunMessageType.AllocateRequest.ToResponse(success: true));
        Assert.Equal(StunMessageType.ChannelBindError, StunMessageType.ChannelBindRequest.ToResponse(success: false));
        Assert.Equal(StunMessageType.ConnectionBindSuccess, StunMessageType.ConnectionBindRequest.ToResponse(success: true));
    }

    [Theory]
    [InlineData(StunMethod.Allocate, 0x003)]
    [InlineData(StunMethod.Refresh, 0x004)]
    [InlineData(StunMethod.Send, 0x006)]
    [InlineData(StunMethod.Data, 0x007)]
    [InlineData(StunMethod.CreatePermission, 0x008)]
    [InlineData(StunMethod.ChannelBind, 0x009)]
    [InlineData(StunMethod.Connect, 0x00A)]
    [InlineData(StunMethod.ConnectionBind, 0x00B)]
    [InlineData(StunMethod.ConnectionAttempt, 0x00C)]
    public void Turn_methods_have_their_iana_values(StunMethod method, int value) => Assert.Equal(value, (int)method);
}
