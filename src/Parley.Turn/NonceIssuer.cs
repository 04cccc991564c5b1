using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Parley.Stun;

namespace Parley.Turn;

/// <summary>
/// Stateless nonces (RFC 8489 §9.2): each carries its expiry and a MAC over the expiry and the client's IP address
/// under a key made at start-up, so the server keeps no table and a nonce is good only from the address it was
/// given to. Every nonce starts with the RFC 8489 §9.2 cookie <c>obMatJos2</c> and a feature set announcing
/// password algorithms, so that clients that know them may pick SHA-256.
/// </summary>
internal sealed class NonceIssuer
{
    /// <summary>"obMatJos2" then base64 of the 24-bit security feature set with bit 0 (password algorithms) set.</summary>
    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes("obMatJos2" + Convert.ToBase64String([0x80, 0, 0]));

    private const int ExpiryHexLength = 8;
    private const int MacHexLength = 16;
    public static readonly int Length = Prefix.Length + ExpiryHexLength + MacHexLength;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public NonceIssuer(TimeProvider time, TimeSpan lifetime)
    {
        _time = time;
        _lifetime = lifetime;
    }

    public byte[] Issue(in TransportAddress client)
    {
        uint expiry = (uint)(_time.GetUtcNow() + _lifetime).ToUnixTimeSeconds();
        var nonce = new byte[Length];
        Prefix.CopyTo(nonce, 0);
        WriteHex(expiry, nonce.AsSpan(Prefix.Length, ExpiryHexLength));
        WriteMac(expiry, client, nonce.AsSpan(Prefix.Length + ExpiryHexLength));
        return nonce;
    }

    /// <summary>Whether the nonce is one of ours, for this client, and not expired.</summary>
    public NonceState Check(ReadOnlySpan<byte> nonce, in TransportAddress client)
    {
        if (nonce.Length != Length || !nonce.StartsWith(Prefix)
            || !TryReadHex(nonce.Slice(Prefix.Length, ExpiryHexLength), out uint expiry))
        {
            return NonceState.Invalid;
        }

        Span<byte> expected = stackalloc byte[MacHexLength];
        WriteMac(expiry, client, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, nonce[(Prefix.Length + ExpiryHexLength)..]))
        {
            return NonceState.Invalid;
        }

        return expiry < _time.GetUtcNow().ToUnixTimeSeconds() ? NonceState.Stale : NonceState.Valid;
    }

    private void WriteMac(uint expiry, in TransportAddress client, Span<byte> hexDestination)
    {
        Span<byte> input = stackalloc byte[4 + 16];
        BinaryPrimitives.WriteUInt32BigEndian(input, expiry);
        client.WriteAddressBytes(input[4..]);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input[..(4 + client.AddressLength)], mac);
        for (int i = 0; i < MacHexLength / 2; i++)
        {
            hexDestination[2 * i] = HexDigit(mac[i] >> 4);
            hexDestination[(2 * i) + 1] = HexDigit(mac[i] & 0xF);
        }
    }

    private static void WriteHex(uint value, Span<byte> destination)
    {
        for (int i = 0; i < 8; i++)
        {
            destination[i] = HexDigit((int)(value >> (28 - (4 * i))) & 0xF);
        }
    }

    private static bool TryReadHex(ReadOnlySpan<byte> hex, out uint value)
    {
        value = 0;
        foreach (byte c in hex)
        {
            int digit = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : c is >= (byte)'a' and <= (byte)'f' ? c - 'a' + 10 : -1;
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}

internal enum NonceState
{
    Invalid,
    Stale,
    Valid,
}
