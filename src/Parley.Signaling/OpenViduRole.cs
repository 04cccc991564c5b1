namespace Parley.Signaling;

/// <summary>What a connection may do (OpenVidu's OpenViduRole): subscribe only, also publish, also moderate.</summary>
public enum OpenViduRole
{
    Subscriber,
    Publisher,
    Moderator,
}
