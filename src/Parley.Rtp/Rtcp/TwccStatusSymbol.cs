namespace Parley.Rtp.Rtcp;

/// <summary>
/// The 2-bit packet status symbols of transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
/// §3.1.1). In a 1-bit status vector, 0 is <see cref="NotReceived"/> and 1 is <see cref="ReceivedSmallDelta"/>.
/// </summary>
public enum TwccStatusSymbol : byte
{
    NotReceived = 0,

    /// <summary>Received, with a 1-byte unsigned delta of 0 to 63.75 ms.</summary>
    ReceivedSmallDelta = 1,

    /// <summary>Received, with a 2-byte signed delta of -8192 to 8191.75 ms.</summary>
    ReceivedLargeDelta = 2,

    /// <summary>
    /// Reserved by §3.1.1, although the examples of §3.1.3 and §3.1.4 read it as "packet received, without
    /// receive delta". Chunks decode it; <see cref="TransportWideFeedback"/> refuses packets that use it.
    /// </summary>
    Reserved = 3,
}
