namespace Parley.Stun;

/// <summary>
/// The 14-bit STUN message type: a 12-bit method interleaved with the 2 class bits (RFC 8489 §5).
/// <code>
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct StunMessageType(StunMethod Method, StunClass Class)
{
    public static StunMessageType BindingRequest => new(StunMethod.Binding, StunClass.Request);
    public static StunMessageType BindingSuccess => new(StunMethod.Binding, StunClass.SuccessResponse);
    public static StunMessageType BindingError => new(StunMethod.Binding, StunClass.ErrorResponse);

    // TURN (RFC 8656 §17).
    public static StunMessageType AllocateRequest => new(StunMethod.Allocate, StunClass.Request);
    public static StunMessageType AllocateSuccess => new(StunMethod.Allocate, StunClass.SuccessResponse);
    public static StunMessageType AllocateError => new(StunMethod.Allocate, StunClass.ErrorResponse);
    public static StunMessageType RefreshRequest => new(StunMethod.Refresh, StunClass.Request);
    public static StunMessageType RefreshSuccess => new(StunMethod.Refresh, StunClass.SuccessResponse);
    public static StunMessageType RefreshError => new(StunMethod.Refresh, StunClass.ErrorResponse);
    public static StunMessageType CreatePermissionRequest => new(StunMethod.CreatePermission, StunClass.Request);
    public static StunMessageType CreatePermissionSuccess => new(StunMethod.CreatePermission, StunClass.SuccessResponse);
    public static StunMessageType CreatePermissionError => new(StunMethod.CreatePermission, StunClass.ErrorResponse);
    public static StunMessageType ChannelBindRequest => new(StunMethod.ChannelBind, StunClass.Request);
    public static StunMessageType ChannelBindSuccess => new(StunMethod.ChannelBind, StunClass.SuccessResponse);
    public static StunMessageType ChannelBindError => new(StunMethod.ChannelBind, StunClass.ErrorResponse);

    /// <summary>Send and Data have only indication semantics (RFC 8656 §17).</summary>
    public static StunMessageType SendIndication => new(StunMethod.Send, StunClass.Indication);

    public static StunMessageType DataIndication => new(StunMethod.Data, StunClass.Indication);

    // TURN TCP allocations (RFC 6062 §6.1).
    public static StunMessageType ConnectRequest => new(StunMethod.Connect, StunClass.Request);
    public static StunMessageType ConnectSuccess => new(StunMethod.Connect, StunClass.SuccessResponse);
    public static StunMessageType ConnectError => new(StunMethod.Connect, StunClass.ErrorResponse);
    public static StunMessageType ConnectionBindRequest => new(StunMethod.ConnectionBind, StunClass.Request);
    public static StunMessageType ConnectionBindSuccess => new(StunMethod.ConnectionBind, StunClass.SuccessResponse);
    public static StunMessageType ConnectionBindError => new(StunMethod.ConnectionBind, StunClass.ErrorResponse);

    /// <summary>ConnectionAttempt has only indication semantics (RFC 6062 §6.1).</summary>
    public static StunMessageType ConnectionAttemptIndication => new(StunMethod.ConnectionAttempt, StunClass.Indication);

    /// <summary>The 16-bit value written on the wire (the top two bits are always zero).</summary>
    public ushort Value
    {
        get
        {
            int m = (ushort)Method;
            int c = (byte)Class;
            return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2)
                | ((c & 0b01) << 4) | ((c & 0b10) << 7));
        }
    }

    /// <summary>Splits a wire value into method and class; the top two bits must be zero.</summary>
    public static bool TryFromValue(ushort value, out StunMessageType type)
    {
        if ((value & 0xC000) != 0)
        {
            type = default;
            return false;
        }

        int method = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80);
        int @class = ((value >> 4) & 0b01) | ((value >> 7) & 0b10);
        type = new StunMessageType((StunMethod)method, (StunClass)@class);
        return true;
    }

    /// <summary>The success or error response type that answers this request.</summary>
    public StunMessageType ToResponse(bool success) =>
        new(Method, success ? StunClass.SuccessResponse : StunClass.ErrorResponse);

    public override string ToString() => $"{Method} {Class}";
}
