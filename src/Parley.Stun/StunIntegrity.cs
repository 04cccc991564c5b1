using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Parley.Stun;

/// <summary>The MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT computations (RFC 8489 §14.5-14.7).</summary>
internal static class StunIntegrity
{
    public const int Sha1Length = 20;
    public const int Sha256Length = 32;
    public const uint FingerprintXor = 0x5354554E;

    /// <summary>
    /// HMAC over <paramref name="message"/> up to the integrity attribute at <paramref name="attributeOffset"/>, with the
    /// header's length field set as if that attribute were the last one, as the sender computed it.
    /// </summary>
    public static int ComputeHmac(ReadOnlySpan<byte> message, int attributeOffset, int attributeValueLength,
        ReadOnlySpan<byte> key, bool sha256, Span<byte> mac)
    {
        byte[]? rented = null;
        Span<byte> input = attributeOffset <= 1024
            ? stackalloc byte[1024]
            : (rented = ArrayPool<byte>.Shared.Rent(attributeOffset));
        try
        {
            input = input[..attributeOffset];
            message[..attributeOffset].CopyTo(input);
            int length = attributeOffset + 4 + attributeValueLength - StunMessage.HeaderLength;
            BinaryPrimitives.WriteUInt16BigEndian(input[2..], (ushort)length);
            return sha256 ? HMACSHA256.HashData(key, input, mac) : HMACSHA1.HashData(key, input, mac);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>CRC-32 of everything before the FINGERPRINT attribute, xor 0x5354554e.</summary>
    public static uint ComputeFingerprint(ReadOnlySpan<byte> messageBeforeFingerprint) =>
        Crc32.HashToUInt32(messageBeforeFingerprint) ^ FingerprintXor;
}
