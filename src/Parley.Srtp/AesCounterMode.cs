using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): the keystream for a packet is
/// <c>E(k_e, IV) || E(k_e, IV + 1) || E(k_e, IV + 2) || ...</c>, where the 128-bit IV has its low 16 bits zero and
/// the block counter fills them, so a packet has at most 2^16 blocks of keystream.
/// </summary>
/// <remarks>
/// The counter blocks of a packet are written into one reusable buffer and encrypted in place by a single ECB call
/// (AES-NI through the platform's library), then xored onto the payload: no allocation once the buffer has grown
/// to the largest packet seen. The ECB transform is an <see cref="ICryptoTransform"/> kept for the key's lifetime:
/// <see cref="SymmetricAlgorithm.EncryptEcb(ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/> would set up a new
/// native cipher context, and allocate, on every call.
/// </remarks>
internal sealed class AesCounterMode : IDisposable
{
    public const int IvLength = 16;
    public const int MaxLength = 16 << 16;
    private const int InitialCapacity = 1536;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private byte[] _blocks = new byte[InitialCapacity];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.SetKey(key);
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>
    /// The IV of RFC 3711 §4.1.1: <c>(k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)</c>, with the 14-byte session
    /// salt k_s and the 48-bit packet index i (the 31-bit SRTCP index for SRTCP).
    /// </summary>
    public static void WriteIv(ReadOnlySpan<byte> salt, uint ssrc, ulong index, Span<byte> iv)
    {
        salt[..SrtpSessionKeys.AesCmSaltLength].CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..], BinaryPrimitives.ReadUInt32BigEndian(iv[4..]) ^ ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(iv[8..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv[8..]) ^ (ushort)(index >> 32)));
        BinaryPrimitives.WriteUInt32BigEndian(iv[10..], BinaryPrimitives.ReadUInt32BigEndian(iv[10..]) ^ (uint)index);
    }

    /// <summary>Xors <paramref name="data"/> (at most <see cref="MaxLength"/> bytes) with the keystream from <paramref name="iv"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        int blockCount = (data.Length + 15) >> 4;
        int length = blockCount << 4;
        if (length > MaxLength)
        {
            throw new ArgumentException("More than 2^16 blocks of keystream for one IV", nameof(data));
        }

        if (_blocks.Length < length)
        {
            _blocks = new byte[Math.Max(length, _blocks.Length * 2)];
        }

        // The IV's low 16 bits are zero, so adding the block counter (below 2^16) never carries.
        ulong high = BinaryPrimitives.ReadUInt64BigEndian(iv);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        Span<byte> blocks = _blocks.AsSpan(0, length);
        for (int j = 0; j < blockCount; j++)
        {
            Span<byte> block = blocks.Slice(j << 4, 16);
            BinaryPrimitives.WriteUInt64BigEndian(block, high);
            BinaryPrimitives.WriteUInt64BigEndian(block[8..], low + (ulong)j);
        }

        _ecb.TransformBlock(_blocks, 0, length, _blocks, 0);
        KeystreamXor.Apply(data, blocks);
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_blocks);
        _ecb.Dispose();
        _aes.Dispose();
    }
}
