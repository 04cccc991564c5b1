namespace Parley.Sfu.Negotiation;

/// <summary>An offer or answer the server cannot accept, with the reason in words. <see cref="ForcedCodecMissing"/>
/// tells that the session's forced video codec is not in the offer (OpenVidu's error 800).</summary>
public sealed class NegotiationException(string message, bool forcedCodecMissing = false) : Exception(message)
{
    public bool ForcedCodecMissing { get; } = forcedCodecMissing;
}
