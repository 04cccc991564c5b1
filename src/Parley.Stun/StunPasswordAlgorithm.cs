namespace Parley.Stun;

/// <summary>Password algorithms for long-term credentials (RFC 8489 §18.5).</summary>
public enum StunPasswordAlgorithm : ushort
{
    Md5 = 0x0001,
    Sha256 = 0x0002,
}
