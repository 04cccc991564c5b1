namespace Parley.Signaling;

/// <summary>What a connection may do (OpenVidu's OpenViduRole): subscribe only, also publish, also moderate.</summary>
public enum OpenViduRole
{
    Subscriber,
    Publisher,
    Moderator,
}

/// <summary>The role names on the wire.</summary>
public static class OpenViduRoles
{
    public static string Name(OpenViduRole role) => role switch
    {
        OpenViduRole.Subscriber => "SUBSCRIBER",
        OpenViduRole.Moderator => "MODERATOR",
        _ => "PUBLISHER",
    };

    public static OpenViduRole? Parse(string? name) => name switch
    {
        "SUBSCRIBER" => OpenViduRole.Subscriber,
        "PUBLISHER" => OpenViduRole.Publisher,
        "MODERATOR" => OpenViduRole.Moderator,
        _ => null,
    };
}
