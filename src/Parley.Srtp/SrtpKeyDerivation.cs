using System.Security.Cryptography;

namespace Parley.Srtp;

/// <summary>
/// The SRTP key derivation function with the AES-CM PRF (RFC 3711 §4.3.1, §4.3.3), key derivation rate zero:
/// <code>
///   key_id = label || r              (r = index DIV key_derivation_rate = 0, 48 bits)
///   x      = key_id XOR master_salt  (both 112 bits, key_id aligned to the right)
///   out    = AES-CM(master_key, IV = x * 2^16), first n bits
/// </code>
/// With r = 0, x is the master salt with the label xored into its eighth byte.
/// </summary>
internal static class SrtpKeyDerivation
{
    /// <summary>The 112-bit master salt the PRF takes.</summary>
    public const int SaltLength = 14;

    private const int LabelOffset = 7;

    /// <summary>
    /// Writes <paramref name="output"/>.Length bytes of the PRF keystream for <paramref name="label"/>.
    /// <paramref name="prf"/> is AES keyed with the master key; <paramref name="masterSalt"/> is 14 bytes.
    /// </summary>
    public static void Derive(Aes prf, ReadOnlySpan<byte> masterSalt, SrtpKeyLabel label, Span<byte> output)
    {
        if (masterSalt.Length != SaltLength)
        {
            throw new ArgumentException($"The key derivation salt is {SaltLength} bytes", nameof(masterSalt));
        }

        int blocks = (output.Length + 15) / 16;
        Span<byte> stream = stackalloc byte[blocks * 16];
        for (int j = 0; j < blocks; j++)
        {
            Span<byte> block = stream.Slice(j * 16, 16);
            masterSalt.CopyTo(block);
            block[LabelOffset] ^= (byte)label;
            block[14] = (byte)(j >> 8);
            block[15] = (byte)j;
        }

        prf.EncryptEcb(stream, stream, PaddingMode.None);
        stream[..output.Length].CopyTo(output);
        CryptographicOperations.ZeroMemory(stream);
    }

    /// <summary>
    /// The 112-bit salt the PRF takes from a profile's master salt: as is for AES-CM, and for AES-GCM's 96 bits
    /// multiplied by 2^16, that is, two zero bytes appended (RFC 7714 §11 with verified erratum 4938).
    /// </summary>
    public static void ExtendSalt(ReadOnlySpan<byte> masterSalt, Span<byte> salt)
    {
        salt.Clear();
        masterSalt.CopyTo(salt);
    }
}
