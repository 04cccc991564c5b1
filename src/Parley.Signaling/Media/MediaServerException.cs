using Parley.Signaling.Rpc;

namespace Parley.Signaling.Media;

/// <summary>A media operation that failed, with the OpenVidu error code to answer (302 for SDP problems, 301 or
/// 303 for media failures, 800 for a forced codec missing from an offer).</summary>
public sealed class MediaServerException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;

    public static MediaServerException Sdp(string message) => new(RpcErrorCodes.MediaSdp, message);
}
