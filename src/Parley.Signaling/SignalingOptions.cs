namespace Parley.Signaling;

/// <summary>Settings of the OpenVidu-compatible signalling (configuration section <c>OpenVidu</c>; the usual
/// OpenVidu environment variables are mapped onto it by the host).</summary>
public sealed class SignalingOptions
{
    public const string SectionName = "OpenVidu";

    /// <summary>The default secret of OpenVidu's development server; refused on a non-loopback address.</summary>
    public const string DevelopmentSecret = "MY_SECRET";

    /// <summary><c>OPENVIDU_SECRET</c>: the password of the REST API's Basic auth (user <c>OPENVIDUAPP</c>).</summary>
    public string Secret { get; set; } = DevelopmentSecret;

    /// <summary><c>OPENVIDU_PUBLICURL</c>: the public base URL tokens point at (https → wss). Unset: the scheme and
    /// host of the REST request that creates the token.</summary>
    public string? PublicUrl { get; set; }
}
