namespace Parley.WebRtc.Dtls;

/// <summary>
/// The SRTP master keys and salts a DTLS-SRTP handshake yields (RFC 5764 §4.2): exported with the label
/// <c>EXTRACTOR-dtls_srtp</c> as client key | server key | client salt | server salt.
/// </summary>
public sealed record SrtpKeyingMaterial(
    SrtpProtectionProfile Profile, byte[] ClientKey, byte[] ServerKey, byte[] ClientSalt, byte[] ServerSalt)
{
    public const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    public static int ExportLength(SrtpProtectionProfile profile) => 2 * (profile.KeyLength() + profile.SaltLength());

    public static SrtpKeyingMaterial FromExported(SrtpProtectionProfile profile, ReadOnlySpan<byte> exported)
    {
        int key = profile.KeyLength(), salt = profile.SaltLength();
        if (exported.Length != 2 * (key + salt))
        {
            throw new ArgumentException($"Expected {2 * (key + salt)} bytes of keying material", nameof(exported));
        }

        return new SrtpKeyingMaterial(profile,
            exported[..key].ToArray(),
            exported[key..(2 * key)].ToArray(),
            exported[(2 * key)..(2 * key + salt)].ToArray(),
            exported[(2 * key + salt)..].ToArray());
    }
}
