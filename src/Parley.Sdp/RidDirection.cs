namespace Parley.Sdp;

/// <summary>The direction of a restriction identifier (RFC 8851 §10): <c>send</c> or <c>recv</c>.</summary>
public enum RidDirection : byte
{
    Send,
    Recv,
}
