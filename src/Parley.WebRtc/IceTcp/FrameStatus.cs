namespace Parley.WebRtc.IceTcp;

/// <summary>What the bytes at the start of a stream buffer hold (<see cref="Rfc4571Framing.TryRead"/>).</summary>
internal enum FrameStatus
{
    Incomplete,
    Complete,
    Invalid,
}
