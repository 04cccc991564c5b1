namespace Parley.Sdp;

/// <summary>
/// The direction attributes (RFC 8866 §6.7; RFC 3264 §6.1 for how an answer mirrors an offer):
/// <c>a=sendrecv</c>, <c>a=sendonly</c>, <c>a=recvonly</c>, <c>a=inactive</c>. Seen from the side that writes them.
/// </summary>
public enum MediaDirection : byte
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

public static class MediaDirectionExtensions
{
    /// <summary>The attribute name: sendrecv, sendonly, recvonly or inactive.</summary>
    public static string ToSdpString(this MediaDirection direction) => direction switch
    {
        MediaDirection.SendRecv => "sendrecv",
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    /// <summary>The direction the other side sees: sendonly and recvonly swap (RFC 3264 §6.1).</summary>
    public static MediaDirection Reverse(this MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => MediaDirection.RecvOnly,
        MediaDirection.RecvOnly => MediaDirection.SendOnly,
        _ => direction,
    };

    public static bool IsSending(this MediaDirection direction) =>
        direction is MediaDirection.SendRecv or MediaDirection.SendOnly;

    public static bool IsReceiving(this MediaDirection direction) =>
        direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;

    public static bool TryParseMediaDirection(string text, out MediaDirection direction)
    {
        (bool known, direction) = text switch
        {
            "sendrecv" => (true, MediaDirection.SendRecv),
            "sendonly" => (true, MediaDirection.SendOnly),
            "recvonly" => (true, MediaDirection.RecvOnly),
            "inactive" => (true, MediaDirection.Inactive),
            _ => (false, MediaDirection.SendRecv),
        };
        return known;
    }
}
