using System.Numerics;

namespace Parley.Srtp;

/// <summary>Xors a keystream onto data in place, a vector at a time.</summary>
internal static class KeystreamXor
{
    /// <summary><paramref name="keystream"/> must be at least as long as <paramref name="data"/>.</summary>
    public static void Apply(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<byte>.Count;
            for (; i <= data.Length - width; i += width)
            {
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
