namespace Parley.Srtp;

/// <summary>
/// The 32-bit word every SRTCP packet carries (RFC 3711 §3.4): the E flag, set when the payload is encrypted,
/// then the 31-bit SRTCP index the sender counts up per SSRC.
/// </summary>
internal static class SrtcpIndex
{
    public const int Length = 4;
    public const uint EncryptedFlag = 0x8000_0000;

    /// <summary>The largest index; a sender that reaches it must be re-keyed (RFC 3711 §9.2).</summary>
    public const uint Max = 0x7FFF_FFFF;

    public static uint ToWord(uint index, bool encrypted) => encrypted ? index | EncryptedFlag : index;
}
